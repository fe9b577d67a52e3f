/**
 * Regression (BENCHMARKS.md proposal 6): a 10 M-row INSERT … SELECT outlived
 * the 60 s request timeout and ServerStore sent it again, and again: four
 * copies ran on the server at once. A request that timed out may still be
 * running there, so every attempt now carries the same query_id and the
 * server refuses a resend while the first copy runs (code 216).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerStore } from '../../../collector/store/server-store.js';
import { sqlString } from '../../../collector/store/sql.js';
import { ensureServer, serverTestsEnabled, uniqueDatabase } from './clickhouse-server.js';

const describeServer = serverTestsEnabled('ServerStore resend tests (server-store-resend.test.ts)') ? describe : describe.skip;

/** How long the slow statement runs on the server: well past the request timeout and every retry. */
const STATEMENT_SLEEP_S = 2.5;

describeServer('ServerStore resends on the 18.16 server', () => {
  let base: string;
  let database: string;
  let observer: ServerStore;
  beforeAll(async () => {
    base = await ensureServer();
    database = uniqueDatabase('baton_resend');
    observer = new ServerStore(`${base}/${database}`);
    await observer.command(`CREATE DATABASE IF NOT EXISTS ${database}`);
    await observer.command(`CREATE TABLE IF NOT EXISTS ${database}.slow (n UInt8) ENGINE = Memory`);
  }, 120_000);
  afterAll(async () => {
    await observer?.command(`DROP DATABASE IF EXISTS ${database}`);
    await observer?.close();
  });

  it('a statement that outlives the request timeout runs once: resends wait while it runs', async () => {
    const store = new ServerStore(`${base}/${database}`, { requestTimeoutMs: 500, attemptsMax: 4, backoffMsMin: 150, backoffMsMax: 300 });
    // Once the server has answered, attemptsMax (not connectAttemptsMax) applies.
    await store.query('SELECT 1');
    const statement = `INSERT INTO ${database}.slow SELECT sleep(${STATEMENT_SLEEP_S})`;
    // Four attempts within ~1.3 s, all while the first copy sleeps: each resend is refused.
    await expect(store.command(statement)).rejects.toMatchObject({ code: 'BATON_ERR_STORE_UNREACHABLE', retryable: true });
    expect(store.requestsRetried).toBe(3);
    // Wait (bounded) until no copy runs any more, then count the copies that ran.
    const running = `SELECT count() AS c FROM system.processes WHERE query = ${sqlString(statement)}`;
    for (let poll = 0; poll < 100; poll++) {
      const [{ c }] = await observer.query<{ c: string }>(running);
      if (c === '0') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await observer.query(`SELECT count() AS c FROM ${database}.slow`)).toEqual([{ c: '1' }]);
    await store.close();
  }, 30_000);
});
