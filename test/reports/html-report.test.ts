import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbStore } from '../../collector/store/chdb-store.js';
import { computeChartData } from '../../reports/chart-data.js';
import { renderHtml } from '../../reports/render/html.js';
import { computeRunReport } from '../../reports/run-report.js';
import { checkAssertions } from '../../reports/assertions.js';
import type { ReportDocument } from '../../reports/render/report-document.js';
import { repoRoot } from '../support/cli.js';
import { buildFixture, storeFixture } from './support/span-fixture.js';

// The HTML report opened in headless Chromium (Debian's package): every chart
// must render visible SVG content, and the page must log no errors.
const CHROMIUM = '/usr/bin/chromium';
const CHARTS = ['latency-histogram', 'latency-cdf', 'success-matrix', 'overhead-breakdown', 'timeline'];

let dir: string;
let browser: Browser;
let htmlPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-html-'));
  const store = new ChdbStore(join(dir, 'chdb'));
  const fixture = buildFixture('html-run', 5, 16);
  await storeFixture(store, fixture);
  const report = await computeRunReport(store, fixture.runId);
  const assertions = checkAssertions(report, ['handoffs.successRate >= 0.99', 'workflows.total >= 1']);
  const document: ReportDocument = {
    ...report,
    verdict: { passed: false, exitCode: 1, assertions },
    wall: { startedAt: '2026-01-01T00:00:00.000Z', host: 'test', simulateMs: 1, storeMs: 1, reportMs: 1, totalMs: 3, spansStored: fixture.spans.length },
  };
  const charts = await computeChartData(store, fixture.runId);
  await store.close();
  const runDir = join(dir, 'runs', fixture.runId);
  mkdirSync(runDir, { recursive: true });
  htmlPath = join(runDir, 'report.html');
  writeFileSync(htmlPath, renderHtml(document, charts));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('renders every chart with visible SVG content, no console errors, no network', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(htmlPath).href);

    for (const chart of CHARTS) {
      const svg = page.locator(`svg[data-chart="${chart}"]`);
      await expect(svg.count()).resolves.toBe(1);
      const box = await svg.boundingBox();
      expect(box?.width ?? 0, chart).toBeGreaterThan(100);
      expect(box?.height ?? 0, chart).toBeGreaterThan(50);
      const shapes = await svg.locator('rect, path, line').count();
      expect(shapes, `${chart} draws shapes`).toBeGreaterThan(3);
    }
    await expect(page.locator('svg[data-chart="latency-histogram"] rect.bar').count()).resolves.toBe(24);
    await expect(page.locator('svg[data-chart="success-matrix"] rect.cell').count()).resolves.toBeGreaterThan(1);
    await expect(page.locator('svg[data-chart="timeline"] rect.span').count()).resolves.toBeGreaterThan(5);
    await expect(page.locator('svg[data-chart="timeline"] line.fault').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('text=FAIL').first().isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);

    // The screenshot goes next to the report (the run dir) and to test-artifacts/.
    const shot = join(dir, 'runs', 'html-run', 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const artifacts = join(repoRoot, 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    copyFileSync(shot, join(artifacts, 'html-report.png'));
    await page.close();
  });
});
