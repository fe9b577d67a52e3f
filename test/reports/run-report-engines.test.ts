import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbStore } from '../../collector/store/chdb-store.js';
import { createStore } from '../../collector/store/create-store.js';
import type { SpanStore } from '../../collector/store/span-store.js';
import { computeChartData } from '../../reports/chart-data.js';
import { computeRunReport } from '../../reports/run-report.js';
import { ensureServer, serverTestsEnabled, uniqueDatabase } from '../collector/store/clickhouse-server.js';
import { expectedReport } from './support/expected-report.js';
import { buildFixture, storeFixture } from './support/span-fixture.js';

// The same metric SQL on both engines: the fixture stored in chDB and in a
// ClickHouse 18.16 server gives the same report, equal to the JS reference.
const enabled = serverTestsEnabled('report SQL');
const fixture = buildFixture('engines-run', 11, 12);
let dir: string;
let chdb: ChdbStore;
let server: SpanStore;

describe.runIf(enabled)('report SQL on chDB and ClickHouse 18.16', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-engines-'));
    chdb = new ChdbStore(join(dir, 'chdb'));
    const url = await ensureServer();
    const database = uniqueDatabase('reports');
    server = createStore(`${url}/${database}`);
    for (const store of [chdb, server]) await storeFixture(store, fixture);
  });

  afterAll(async () => {
    await server?.command(`DROP DATABASE IF EXISTS ${server.database}`).catch(() => undefined);
    await server?.close();
    await chdb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes the same report on both engines, equal to the JS reference', async () => {
    const [onChdb, onServer] = await Promise.all([computeRunReport(chdb, fixture.runId), computeRunReport(server, fixture.runId)]);
    expect(onServer).toEqual(onChdb);
    const expected = expectedReport(fixture);
    expect(onServer.handoffs).toEqual(expected.handoffs);
    expect(onServer.coordination).toEqual(expected.coordination);
    expect(onServer.faults).toEqual(expected.faults);
    expect(onServer.recovery).toEqual(expected.recovery);
    expect(onServer.checkpoints).toEqual(expected.checkpoints);
    expect(onServer.workflows).toEqual(expected.workflows);
    expect(onServer.budgets).toEqual(expected.budgets);
  });

  it('reads the same chart data on both engines', async () => {
    const [onChdb, onServer] = await Promise.all([computeChartData(chdb, fixture.runId), computeChartData(server, fixture.runId)]);
    expect(onServer).toEqual(onChdb);
    expect(onServer.timeline?.spans.length).toBeGreaterThan(5);
  });
});
