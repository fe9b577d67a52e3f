import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../../cli/pipeline/run-scenario.js';
import { startCollector, type RunningCollector } from '../../../collector/server/start-collector.js';
import { ChdbStore } from '../../../collector/store/chdb-store.js';
import { createDashboardPages } from '../../../reports/dashboard/dashboard-pages.js';
import { DEFAULT_COMPARE_METRICS } from '../../../reports/compare/compare-report.js';
import { loadScenarioFile } from '../../../scenarios/format/load-scenario.js';
import { repoRoot } from '../../support/cli.js';

// The dashboard in a real browser: Debian's Chromium driven by playwright-core.
// Without /usr/bin/chromium the suite is skipped loudly, unless
// BATON_REQUIRE_CHROMIUM is set (CI), where a missing browser fails it.
const CHROMIUM = '/usr/bin/chromium';
const chromiumPresent = existsSync(CHROMIUM);
const chromiumRequired = Boolean(process.env.BATON_REQUIRE_CHROMIUM);
const ARTIFACTS = join(repoRoot, 'test-artifacts', 'dashboard');
const TOKEN = 'dashboard-test-token';
const HOSTILE = '<img src=x onerror="alert(1)">';

if (!chromiumPresent && !chromiumRequired) {
  console.warn(`\n*** SKIPPED: dashboard browser tests need ${CHROMIUM} (apt-get install chromium); set BATON_REQUIRE_CHROMIUM=1 to make this a failure ***\n`);
}

describe.runIf(chromiumPresent || chromiumRequired)('dashboard in headless Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'baton-dashboard-'));
  const store = new ChdbStore(join(work, 'chdb'));
  const runIds: string[] = [];
  let collector: RunningCollector;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    expect(chromiumPresent, `${CHROMIUM} is missing and BATON_REQUIRE_CHROMIUM is set`).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    const scenario = loadScenarioFile(join(repoRoot, 'scenarios', 'research-pipeline.yaml'));
    for (const [seed, sweepId] of [[1, 'sweep-dash'], [2, '']] as const) {
      const outcome = await runScenario({ scenario, seed, store, sweepId });
      runIds.push(outcome.document.run.id);
    }
    // A run whose scenario name would run script if it were not escaped.
    await store.insert('runs', [{ recorded_date: '2026-01-01', recorded_at: '2026-01-01 00:00:00', run_id: 'hostile', sweep_id: '', scenario: HOSTILE, seed: 9, verdict: 'pass' }]);
    collector = await startCollector({ store, port: 0, token: TOKEN, spoolDir: join(work, 'spool'), dashboard: createDashboardPages() });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('dialog', (dialog) => {
      consoleErrors.push(`dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    await store.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Every chart on the page is an SVG with a non-zero rendered size. */
  async function expectChartsRendered(minimum: number): Promise<void> {
    const boxes = await page.locator('svg.chart').evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect()).map(({ width, height }) => ({ width, height })));
    expect(boxes.length).toBeGreaterThanOrEqual(minimum);
    for (const box of boxes) {
      expect(box.width).toBeGreaterThan(0);
      expect(box.height).toBeGreaterThan(0);
    }
  }

  it('signs in once with ?token=, drops the token from the address, lists runs and sweeps', async () => {
    const response = await page.goto(`${collector.url}/?token=${TOKEN}`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${collector.url}/`);
    expect(await page.locator('h1').textContent()).toBe('baton runs');
    expect(await page.locator('table[data-table="runs"] tbody tr').count()).toBe(3);
    expect(await page.locator('table[data-table="sweeps"]').textContent()).toContain('sweep-dash');
    // The hostile scenario name shows as text, nothing ran.
    expect(await page.locator('table[data-table="runs"]').textContent()).toContain(HOSTILE);
    expect(await page.locator('table[data-table="runs"] img').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'runs.png'), fullPage: true });
    await page.getByRole('link', { name: 'sweep-dash' }).first().click();
    expect(await page.locator('h1').textContent()).toBe('sweep sweep-dash');
    expect(await page.locator('table[data-table="runs"] tbody tr').count()).toBe(1);
  });

  it('opens a run: the HTML report with its server-drawn charts', async () => {
    await page.goto(`${collector.url}/`);
    await page.getByRole('link', { name: runIds[0]! }).click();
    expect(new URL(page.url()).pathname).toBe('/run');
    expect(await page.locator('h1').textContent()).toContain(runIds[0]!);
    await expectChartsRendered(5);
    for (const chart of ['latency-histogram', 'latency-cdf', 'success-matrix', 'overhead', 'timeline']) {
      expect(await page.locator(`svg.chart[data-chart^="${chart}"]`).count(), chart).toBeGreaterThanOrEqual(1);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'run.png'), fullPage: true });
  });

  it('compares the two newest runs picked on the list, metric by metric, charts side by side', async () => {
    await page.goto(`${collector.url}/`);
    await page.locator('table[data-table="runs"] tbody tr').nth(0).locator('input[name="b"]').check();
    await page.locator('table[data-table="runs"] tbody tr', { hasText: runIds[0]! }).locator('input[name="a"]').check();
    await page.getByRole('button', { name: 'compare A and B' }).click();
    expect(new URL(page.url()).pathname).toBe('/compare');
    expect(new URL(page.url()).searchParams.get('a')).toBe(runIds[0]);
    expect(await page.locator('table[data-table="differences"] tbody tr').count()).toBe(DEFAULT_COMPARE_METRICS.length);
    await expectChartsRendered(4);
    await page.screenshot({ path: join(ARTIFACTS, 'compare.png'), fullPage: true });
  });

  it('answers an unknown run with 404 and a readable page; no console errors anywhere', async () => {
    expect(consoleErrors).toEqual([]);
    const response = await page.goto(`${collector.url}/run?id=${encodeURIComponent("nope'; DROP TABLE baton.runs")}`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('run not found');
    expect((await store.query<{ c: string }>('SELECT count() AS c FROM baton.runs FINAL'))[0]!.c).toBe('3');
    // Chromium logs the document's own 404 status, and nothing else.
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });

  it('refuses a browser without the cookie', async () => {
    const fresh = await browser.newPage();
    const response = await fresh.goto(`${collector.url}/`);
    expect(response?.status()).toBe(401);
    await fresh.close();
  });
});
