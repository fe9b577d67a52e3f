/**
 * Faults of the ClickHouse server backend, against the real 18.16 server:
 * down at start, wrong password, and a restart in the middle of a stream of
 * batches that must lose and duplicate nothing.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanSink } from '../../../collector/sink/span-sink.js';
import { ServerStore } from '../../../collector/store/server-store.js';
import { sqlString } from '../../../collector/store/sql.js';
import { StoreError } from '../../../collector/store/span-store.js';
import { clickhouseScript, ensureServer, freePort, SHARED_SERVER, serverTestsEnabled, uniqueDatabase, type ServerInstance } from './clickhouse-server.js';
import { runColumns, spanRecord } from './span-fixtures.js';

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('server down at start', () => {
  it('fails fast with BATON_ERR_STORE_UNREACHABLE naming the URL without the password', async () => {
    const port = await freePort();
    const store = new ServerStore(`http://baton:hunter2-secret@127.0.0.1:${port}/baton_down`, { backoffMsMin: 1, backoffMsMax: 2 });
    const started = Date.now();
    const error = await storeError(store.migrate());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('BATON_ERR_STORE_UNREACHABLE');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`http://baton@127.0.0.1:${port}/baton_down`);
    expect(error.message).not.toContain('hunter2');
    // Nor anywhere in the error as a crash report would print it (cause chain included).
    expect(inspect(error, { depth: 10 })).not.toContain('hunter2');
    // Connect attempts are bounded: the default 3, i.e. two retries.
    expect(store.requestsRetried).toBe(2);
    await store.close();
  });
});

const serverEnabled = serverTestsEnabled('server fault tests (server-faults.test.ts)');
const describeServer = serverEnabled ? describe : describe.skip;

describeServer('credentials on the 18.16 server', () => {
  let base: string;
  beforeAll(async () => {
    base = await ensureServer();
  }, 120_000);

  it('the right password of user baton works', async () => {
    const store = new ServerStore(`http://baton:baton-secret@127.0.0.1:${SHARED_SERVER.httpPort}/default`);
    expect(await store.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await store.close();
  });

  it('a wrong password is BATON_ERR_STORE_AUTH, at once, without the password in the message', async () => {
    const store = new ServerStore(`http://baton:not-the-secret@127.0.0.1:${SHARED_SERVER.httpPort}/baton_auth`);
    const error = await storeError(store.migrate());
    expect(error.code).toBe('BATON_ERR_STORE_AUTH');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`http://baton@127.0.0.1:${SHARED_SERVER.httpPort}/baton_auth`);
    expect(error.message).not.toContain('not-the-secret');
    expect(inspect(error, { depth: 10 })).not.toContain('not-the-secret');
    expect(store.requestsRetried).toBe(0);
    await store.close();
  });

  it('an unknown user is BATON_ERR_STORE_AUTH too', async () => {
    const store = new ServerStore(`http://nobody:pw-of-nobody@127.0.0.1:${SHARED_SERVER.httpPort}/baton_auth`);
    const error = await storeError(store.query('SELECT 1'));
    expect(error.code).toBe('BATON_ERR_STORE_AUTH');
    expect(error.message).not.toContain('pw-of-nobody');
    await store.close();
  });

  it('a missing table is retried only once migrate() made it exist (18.16 answers so while shutting down)', async () => {
    const database = uniqueDatabase('baton_missing');
    const migrated = new ServerStore(`${base}/${database}`, { attemptsMax: 3, backoffMsMin: 1, backoffMsMax: 1 });
    await migrated.migrate();
    await migrated.command(`DROP TABLE ${database}.violations`);
    const error = await storeError(migrated.query(`SELECT count() FROM ${database}.violations`));
    expect(error).toMatchObject({ code: 'BATON_ERR_STORE_QUERY', retryable: true });
    expect(error.message).toContain('the server may be restarting');
    expect(migrated.requestsRetried).toBe(2);
    const fresh = new ServerStore(`${base}/${database}`, { attemptsMax: 3, backoffMsMin: 1, backoffMsMax: 1 });
    const freshError = await storeError(fresh.query(`SELECT count() FROM ${database}.violations`));
    expect(freshError).toMatchObject({ code: 'BATON_ERR_STORE_QUERY', retryable: false });
    expect(fresh.requestsRetried).toBe(0);
    await migrated.command(`DROP DATABASE ${database}`);
    await migrated.close();
    await fresh.close();
  });

  it('bad SQL is BATON_ERR_STORE_QUERY with the statement, not retried', async () => {
    const store = new ServerStore(`${base}/default`);
    const error = await storeError(store.query('SELEKT 1'));
    expect(error.code).toBe('BATON_ERR_STORE_QUERY');
    expect(error.message).toContain('SELEKT 1');
    expect(store.requestsRetried).toBe(0);
    await store.close();
  });
});

describeServer('a server restart in the middle of a sweep', () => {
  // Its own server instance on free ports: restarting the shared one would break the
  // other test files running in parallel, and a fixed port would be shared by two test runs.
  const instance: ServerInstance = { dir: join(tmpdir(), `baton-ch-restart-${process.pid}`), httpPort: 0, tcpPort: 0 };

  beforeAll(async () => {
    instance.httpPort = await freePort();
    instance.tcpPort = await freePort();
    await clickhouseScript('start', instance);
  }, 120_000);

  afterAll(async () => {
    // Keep the directory (its pid file and logs) when the server could not be stopped,
    // or when BATON_KEEP_CH_DIRS asks for the logs.
    await clickhouseScript('stop', instance);
    if (!process.env.BATON_KEEP_CH_DIRS) rmSync(instance.dir, { recursive: true, force: true });
  }, 120_000);

  // Who absorbs the outage: the store's request retries, or (with a store that gives up
  // quickly) the sink's batch retries. Both must end with every span exactly once.
  it.each([
    { absorbedBy: 'store', store: { attemptsMax: 12, backoffMsMin: 50, backoffMsMax: 1_000 }, sink: { backoffMsMin: 200 } },
    { absorbedBy: 'sink', store: { attemptsMax: 2, backoffMsMin: 20, backoffMsMax: 20 }, sink: { attemptsMax: 80, backoffMsMin: 100, backoffMsMax: 500 } },
  ])('loses no span and duplicates none, by count and by id (outage absorbed by the $absorbedBy)', async (config) => {
    const database = uniqueDatabase('baton_restart');
    const store = new ServerStore(`http://baton:baton-secret@127.0.0.1:${instance.httpPort}/${database}`, config.store);
    await store.migrate();
    const sink = new SpanSink(store, { batchRows: 500, flushIntervalMs: 20, bufferRowsMax: 4_000, ...config.sink });
    const run = runColumns('run-restart');
    let spans = 0;
    const addSpans = async (count: number) => {
      for (let end = spans + count; spans < end; spans++) {
        const wait = sink.add(spanRecord(spans), run);
        if (wait) await wait;
      }
    };
    await addSpans(3_000);
    let restarting = true;
    const restart = clickhouseScript('restart', instance).finally(() => {
      restarting = false;
    });
    // Keep producing, paced, for as long as the restart takes: batches hit the stopping,
    // stopped and starting server.
    while (restarting) {
      await addSpans(50);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await restart).toMatch(/stopped[\s\S]*started/);
    console.info(`restart test: ${instance.dir} on http ${instance.httpPort}, tcp ${instance.tcpPort}`);
    await addSpans(2_000);
    await sink.flush();

    if (config.absorbedBy === 'store') expect(store.requestsRetried).toBeGreaterThan(0);
    else expect(sink.counters.batchesRetried).toBeGreaterThan(0);
    expect(sink.counters).toMatchObject({ spansWritten: spans, eventsWritten: spans, spansDropped: 0 });
    const where = `WHERE run_id = ${sqlString(run.runId)}`;
    const counts = await store.query<{ rows: string; ids: string }>(
      `SELECT count() AS rows, uniqExact(span_id) AS ids FROM ${database}.spans FINAL ${where}`,
    );
    expect(counts).toEqual([{ rows: String(spans), ids: String(spans) }]);
    const ids = await store.query<{ span_id: string }>(`SELECT span_id FROM ${database}.spans FINAL ${where} ORDER BY span_id`);
    const expected = Array.from({ length: spans }, (_, index) => spanRecord(index).spanId);
    expect(ids.map((row) => row.span_id)).toEqual(expected);
    const events = await store.query<{ rows: string; ids: string }>(
      `SELECT count() AS rows, uniqExact(span_id) AS ids FROM ${database}.span_events FINAL ${where}`,
    );
    expect(events).toEqual([{ rows: String(spans), ids: String(spans) }]);
    console.info(
      `restart test (${config.absorbedBy}): ${spans} spans, ${store.requestsRetried} requests retried by the store, ${sink.counters.batchesRetried} batches retried by the sink`,
    );
    await store.command(`DROP DATABASE IF EXISTS ${database}`);
    await store.close();
  }, 180_000);
});
