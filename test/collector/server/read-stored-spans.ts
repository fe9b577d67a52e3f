/**
 * Child-process helper of the crash test: chDB holds one data directory per
 * process, so the test reads the collector's store from a fresh process.
 *   node --import tsx test/collector/server/read-stored-spans.ts <chdb dir> <run id>
 * Prints {"ids":[...],"finalRows":n,"distinctIds":n} on one line.
 */
import { ChdbStore } from '../../../collector/store/chdb-store.js';
import { sqlString } from '../../../collector/store/sql.js';

const [dir, runId] = process.argv.slice(2);
const store = new ChdbStore(dir!);
await store.migrate();
const where = `WHERE run_id = ${sqlString(runId!)}`;
const ids = await store.query<{ span_id: string }>(`SELECT span_id FROM baton.spans FINAL ${where}`);
const counts = await store.query<{ rows: string; distinct_ids: string }>(
  `SELECT count() AS rows, uniqExact(span_id) AS distinct_ids FROM baton.spans FINAL ${where}`,
);
await store.close();
process.stdout.write(`${JSON.stringify({ ids: ids.map((row) => row.span_id), finalRows: Number(counts[0]!.rows), distinctIds: Number(counts[0]!.distinct_ids) })}\n`);
