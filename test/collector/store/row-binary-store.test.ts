/**
 * The sweep's RowBinary path on chDB: rows stored from RowBinary equal those
 * stored from the JSON text the sweep wrote before, for real seeds and for
 * generated spans; a bad batch fails with the store's error code and loses
 * nothing stored.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioWithSwarm } from '../../../cli/commands/sweep-command.js';
import { sweepRowFormat } from '../../../cli/pipeline/sweep.js';
import { simulateSeedRows } from '../../../cli/pipeline/sweep-seed.js';
import { RunRowBinary } from '../../../collector/row-binary.js';
import { RunRowLines } from '../../../collector/span-lines.js';
import type { RunColumns, SpanRecord } from '../../../collector/span-rows.js';
import { ChdbStore } from '../../../collector/store/chdb-store.js';
import type { TableName } from '../../../collector/store/schema.js';
import { ServerStore } from '../../../collector/store/server-store.js';
import { StoreError } from '../../../collector/store/span-store.js';
import { spanRecordArbitrary } from '../span-record-arbitrary.js';
import { runColumns, spanRecord } from './span-fixtures.js';

let dir: string;
let json: ChdbStore;
let binary: ChdbStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-rowbinary-'));
  json = new ChdbStore(dir, 'rb_json');
  binary = new ChdbStore(dir, 'rb_binary');
  await json.migrate();
  await binary.migrate();
}, 60_000);

afterAll(async () => {
  await json.close();
  await binary.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Every row of `table` in a store as queries read it (FINAL: generated spans
 * can share a sort key, and only FINAL dedupes those within one insert), in
 * a fixed order.
 */
async function stored(store: ChdbStore, table: TableName, runIds: string[]): Promise<unknown[]> {
  const runs = runIds.map((id) => `'${id.replace(/[\\']/g, '\\$&')}'`).join(', ');
  return store.query(`SELECT * FROM ${store.database}.${table} FINAL WHERE run_id IN (${runs}) ORDER BY tuple(*)`);
}

async function expectSameRows(runIds: string[]): Promise<void> {
  for (const table of ['spans', 'span_events'] as const) {
    const fromJson = await stored(json, table, runIds);
    expect(fromJson.length, table).toBeGreaterThan(0);
    expect(await stored(binary, table, runIds), table).toEqual(fromJson);
  }
}

describe('chDB: RowBinary rows equal the JSON rows they replace', () => {
  it('every row of real sweep seeds (each scenario, and each swarm preset of the research pipeline)', async () => {
    const cases = [
      ...readdirSync('scenarios')
        .filter((name) => name.endsWith('.yaml'))
        .map((name) => ({ file: `scenarios/${name}`, swarm: undefined })),
      ...['lite', 'default', 'harsh'].map((swarm) => ({ file: 'scenarios/research-pipeline.yaml', swarm })),
    ];
    const runIds: string[] = [];
    for (const { file, swarm } of cases) {
      const scenario = scenarioWithSwarm(file, [], swarm);
      for (const seed of [1, 2]) {
        const task = { seed, sweepId: 'rb', recordedDate: '2026-11-21' };
        const text = await simulateSeedRows(scenario, { ...task, rowFormat: 'JSONCompactEachRow' });
        const rows = await simulateSeedRows(scenario, { ...task, rowFormat: 'RowBinary' });
        expect([rows.spanCount, rows.eventCount]).toEqual([text.spanCount, text.eventCount]);
        await json.insertRaw('spans', Buffer.from(text.spans), 'JSONCompactEachRow');
        await json.insertRaw('span_events', Buffer.from(text.events), 'JSONCompactEachRow');
        await binary.insertRowBinary('spans', rows.spans);
        await binary.insertRowBinary('span_events', rows.events);
        runIds.push(rows.summary.runId);
      }
    }
    await expectSameRows(runIds);
  }, 120_000);

  it('generated spans: any text without lone surrogates, counts past 2^32 and 2^64, times up to 2^64 - 1', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const count = fc.oneof(fc.nat(), fc.double({ min: 0, max: 9e20, noNaN: true }), fc.constantFrom(2 ** 32 + 5, 2 ** 64, 1e20));
    const attributes = fc.dictionary(
      fc.oneof(fc.constantFrom('baton.handoff.attempt', 'baton.handoff.context_bytes', 'gen_ai.usage.output_tokens', 'baton.task.id'), text),
      fc.oneof(text, count, fc.boolean(), fc.array(text, { maxLength: 3 })),
      { maxKeys: 8 },
    );
    const nanos = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    const spans: SpanRecord[] = fc.sample(spanRecordArbitrary({ text, attributes, nanos }), { numRuns: 400, seed: 20261121 });
    const run: RunColumns = { ...runColumns('rb-generated', '2026-11-21'), scenario: 'ünïcode 😀' };
    const lines = new RunRowLines(run, 'JSONCompactEachRow');
    const rows = new RunRowBinary(run);
    for (const record of spans) rows.add(record);
    await json.insertRaw('spans', Buffer.from(spans.map((record) => lines.span(record)).join('')), 'JSONCompactEachRow');
    await json.insertRaw('span_events', Buffer.from(spans.map((record) => lines.events(record)).join('')), 'JSONCompactEachRow');
    await binary.insertRowBinary('spans', rows.spans.bytes());
    await binary.insertRowBinary('span_events', rows.events.bytes());
    await expectSameRows(['rb-generated']);
  }, 60_000);

  it('a lone surrogate is stored as U+FFFD (a JSON insert refuses the row)', async () => {
    const rows = new RunRowBinary(runColumns('rb-surrogate'));
    rows.add({ ...spanRecord(1), name: 'a\ud800b' });
    await binary.insertRowBinary('spans', rows.spans.bytes());
    expect(await binary.query(`SELECT name FROM ${binary.database}.spans WHERE run_id = 'rb-surrogate'`)).toEqual([{ name: 'a\ufffdb' }]);
  });

  it('a batch holding one row twice keeps both until a merge (no insert-time dedupe), and FINAL reads one', async () => {
    const rows = new RunRowBinary(runColumns('rb-twice'));
    rows.add(spanRecord(1));
    rows.add(spanRecord(1));
    const count = async (final: string) =>
      binary.query(`SELECT count() AS c FROM ${binary.database}.spans ${final} WHERE run_id = 'rb-twice'`);
    await binary.command(`SYSTEM STOP MERGES ${binary.database}.spans`); // no background merge between insert and count
    try {
      await binary.insertRowBinary('spans', rows.spans.bytes());
      expect(await count('')).toEqual([{ c: '2' }]);
      expect(await count('FINAL')).toEqual([{ c: '1' }]);
    } finally {
      await binary.command(`SYSTEM START MERGES ${binary.database}.spans`);
    }
  });

  it('a bad batch fails with BATON_ERR_STORE_INSERT, keeps what was stored, and leaves no file behind', async () => {
    const rows = new RunRowBinary(runColumns('rb-bad'));
    rows.add(spanRecord(1));
    rows.add(spanRecord(2));
    await binary.insertRowBinary('spans', rows.spans.bytes());
    const truncated = rows.spans.bytes().subarray(0, rows.spans.bytes().length - 3);
    const failure = await binary.insertRowBinary('spans', truncated).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe('BATON_ERR_STORE_INSERT');
    expect((failure as StoreError).message).toMatch(/^insert into spans failed: /);
    expect(await binary.query(`SELECT count() AS c FROM ${binary.database}.spans WHERE run_id = 'rb-bad'`)).toEqual([{ c: '2' }]);
    expect(readdirSync(join(dir, 'insert-files'))).toEqual([]);
  });
});

describe('sweepRowFormat', () => {
  it('RowBinary on chDB, JSONEachRow on the server (18.16 reads no JSONCompactEachRow)', () => {
    expect(sweepRowFormat(binary)).toBe('RowBinary');
    expect(sweepRowFormat(new ServerStore('http://127.0.0.1:1/baton'))).toBe('JSONEachRow');
    expect(sweepRowFormat({ insertRaw: async () => {}, rawFormats: ['JSONEachRow', 'JSONCompactEachRow'] })).toBe('JSONCompactEachRow');
  });
});
