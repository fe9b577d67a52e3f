import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunColumns, SpanRecord } from '../../../collector/span-rows.js';
import { Spool, SpoolFullError, SpoolRecordTooLargeError } from '../../../collector/spool/spool.js';
import { SPOOL_LOCK_FILE, SpoolDirError } from '../../../collector/spool/spool-lock.js';
import { SpoolDrain } from '../../../collector/spool/spool-drain.js';
import { decodeSegment, encodeSpoolRecord, spoolRecordOf } from '../../../collector/spool/spool-record.js';
import { rowsOf } from '../../../collector/store/row-text.js';
import type { TableName } from '../../../collector/store/schema.js';
import type { RawRowFormat } from '../../../collector/store/span-store.js';
import { MemoryStore, tempDir, waitFor } from './collector-fixtures.js';

const run: RunColumns = { runId: 'r', sweepId: '', scenario: '', seed: 0, recordedDate: '2026-01-02', serviceName: 's' };

function span(index: number): SpanRecord {
  return {
    traceId: 'a'.repeat(32),
    spanId: index.toString(16).padStart(16, '0'),
    parentSpanId: '',
    name: `span-${index}`,
    kind: 0,
    startNs: 1_767_312_000_000_000_000n,
    endNs: 1_767_312_000_000_001_000n,
    statusCode: 0,
    statusMessage: '',
    attributes: { i: index },
    events: [{ name: 'e', timeNs: 1_767_312_000_000_000_500n, attributes: {} }],
  };
}

function frame(...indexes: number[]): Buffer {
  return encodeSpoolRecord(spoolRecordOf([{ run, spans: indexes.map(span) }]));
}

describe('Spool', () => {
  it('concurrent appends share one write and survive a reopen, in order', async () => {
    const dir = tempDir('spool');
    const spool = await Spool.open({ dir });
    await Promise.all(Array.from({ length: 200 }, (_, index) => spool.append(frame(index))));
    await spool.close();
    const reopened = await Spool.open({ dir });
    expect(reopened.sealed()).toHaveLength(1);
    const { records, tornBytes } = decodeSegment(readFileSync(reopened.sealed()[0]!.path));
    expect(tornBytes).toBe(0);
    expect(records.map((record) => record.spans[0]!.name)).toEqual(Array.from({ length: 200 }, (_, index) => `span-${index}`));
    expect(records[0]!.events).toHaveLength(1);
    await reopened.close();
  });

  it('seals a segment once it reaches segmentBytesMax', async () => {
    const spool = await Spool.open({ dir: tempDir('spool'), segmentBytesMax: 2_000 });
    for (let index = 0; index < 10; index += 1) await spool.append(frame(index));
    expect(spool.sealed().length).toBeGreaterThanOrEqual(3);
    await spool.close();
  });

  it('refuses an append past bytesMax without writing it, and reports full until space frees', async () => {
    const spool = await Spool.open({ dir: tempDir('spool'), bytesMax: 19_000 });
    await spool.append(frame(1));
    const bytes = spool.bytes;
    await expect(spool.append(frame(...Array.from({ length: 20 }, (_, index) => index)))).rejects.toBeInstanceOf(SpoolFullError);
    expect(spool.bytes).toBe(bytes);
    expect(spool.isFull).toBe(true);
    await spool.sealActive();
    await spool.remove(spool.sealed()[0]!);
    expect(spool.isFull).toBe(false);
    await spool.close();
  });

  it('a record larger than the whole spool is refused alone: the spool does not report full, later appends go through', async () => {
    const spool = await Spool.open({ dir: tempDir('spool'), bytesMax: 3_000 });
    const huge = frame(...Array.from({ length: 60 }, (_, index) => index));
    expect(huge.length).toBeGreaterThan(3_000);
    await expect(spool.append(huge)).rejects.toBeInstanceOf(SpoolRecordTooLargeError);
    expect(spool.isFull).toBe(false);
    await spool.append(frame(1));
    await spool.close();
  });

  it('a refused record that fits an empty spool stops holding others back once there is room for it', async () => {
    const spool = await Spool.open({ dir: tempDir('spool'), bytesMax: 19_000 });
    await spool.append(frame(1));
    await spool.sealActive();
    const large = frame(...Array.from({ length: 20 }, (_, index) => index));
    expect(large.length).toBeLessThanOrEqual(19_000);
    await expect(spool.append(large)).rejects.toBeInstanceOf(SpoolFullError);
    expect(spool.isFull).toBe(true);
    await spool.remove(spool.sealed()[0]!);
    expect(spool.bytes).toBe(0);
    expect(spool.isFull).toBe(false);
    await spool.append(large);
    await spool.close();
  });

  it('a torn record at the end (a crash mid-append) is dropped, the records before it kept', async () => {
    const dir = tempDir('spool');
    const spool = await Spool.open({ dir });
    await spool.append(frame(1));
    await spool.append(frame(2));
    await spool.close();
    const path = join(dir, 'segment-000000000001.spool');
    truncateSync(path, readFileSync(path).length - 3);
    const contents = decodeSegment(readFileSync(path));
    expect(contents.records.map((record) => record.spans[0]!.name)).toEqual(['span-1']);
    expect(contents.tornBytes).toBeGreaterThan(0);
    // A flipped byte inside the last record fails its checksum the same way.
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] ^= 0xff;
    expect(decodeSegment(bytes).records).toHaveLength(1);
  });
});

// Two collectors on one --spool lost acknowledged spans: the second took every
// segment-*.spool for a leftover, including the first's open segment, replayed
// it and deleted it while the first kept appending acknowledged spans to it.
describe('Spool directory lock', () => {
  it('refuses a second open of a directory a live process holds, naming the directory and the pid', async () => {
    const dir = tempDir('spool');
    const first = await Spool.open({ dir });
    await first.append(frame(1));
    const second = Spool.open({ dir });
    await expect(second).rejects.toBeInstanceOf(SpoolDirError);
    await expect(second).rejects.toMatchObject({ code: 'BATON_ERR_SPOOL_LOCKED', message: expect.stringContaining(`${dir} is in use by process ${process.pid}`) });
    await first.append(frame(2));
    await first.close();
    const reopened = await Spool.open({ dir });
    expect(decodeSegment(readFileSync(reopened.sealed()[0]!.path)).records).toHaveLength(2);
    await reopened.close();
    expect(existsSync(join(dir, SPOOL_LOCK_FILE))).toBe(false);
  });

  it('refuses while another live process holds the lock, and takes it over once that process is dead (kill -9 leaves it)', async () => {
    const dir = tempDir('spool');
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    writeFileSync(join(dir, SPOOL_LOCK_FILE), `${holder.pid}\n`);
    await expect(Spool.open({ dir })).rejects.toThrow(`in use by process ${holder.pid}`);
    holder.kill('SIGKILL');
    await exited;
    const spool = await Spool.open({ dir });
    expect(readFileSync(join(dir, SPOOL_LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await spool.close();
    expect(readdirSync(dir).filter((name) => name.startsWith(SPOOL_LOCK_FILE))).toEqual([]);
  });

  it('takes over a lock naming its own pid that it does not hold (a container restarted as pid 1) and an unreadable one', async () => {
    const dir = tempDir('spool');
    writeFileSync(join(dir, SPOOL_LOCK_FILE), `${process.pid}\n`);
    await (await Spool.open({ dir })).close();
    writeFileSync(join(dir, SPOOL_LOCK_FILE), '');
    await (await Spool.open({ dir })).close();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dir, SPOOL_LOCK_FILE), `${dead}\n`);
    await (await Spool.open({ dir })).close();
  });
});

describe('SpoolDrain', () => {
  it('writes each record in a format the store takes, in record order: JSONCompactEachRow records are parsed into rows for a store that only takes JSONEachRow', async () => {
    const dir = tempDir('spool');
    const spool = await Spool.open({ dir });
    const compact = (...indexes: number[]) => encodeSpoolRecord(spoolRecordOf([{ run, spans: indexes.map(span) }]), 'JSONCompactEachRow');
    await spool.append(compact(1, 2));
    await spool.append(frame(3));
    await spool.append(compact(4));
    await spool.sealActive();
    const store = new MemoryStore();
    const inserts: string[] = [];
    const insertRows = store.insert.bind(store);
    const rawStore = Object.assign(store, {
      rawFormats: ['JSONEachRow'] as const,
      insert: async (table: TableName, rows: readonly object[]) => {
        if (table === 'spans') inserts.push(`rows ${rows.map((row) => (row as { name: string }).name).join(',')}`);
        await insertRows(table, rows);
      },
      insertRaw: async (table: TableName, text: Buffer, format?: RawRowFormat) => {
        const rows = rowsOf<{ name: string }>(text, 'JSONEachRow', table);
        if (table === 'spans') inserts.push(`raw ${format} ${rows.map((row) => row.name).join(',')}`);
        await insertRows(table, rows);
      },
    });
    const drain = new SpoolDrain(spool, rawStore, { intervalMs: 5 });
    drain.start();
    await waitFor(() => store.spanIds().length === 4, 5_000, 'all four spans');
    await drain.stop();
    await spool.close();
    // Only the JSONEachRow record went through insertRaw; the compact ones arrived as row objects, in record order.
    expect(inserts).toEqual(['rows span-1,span-2', 'raw JSONEachRow span-3', 'rows span-4']);
    const expected = spoolRecordOf([{ run, spans: [span(1), span(2), span(3), span(4)] }]);
    const stored = [...store.rows.get('spans')!.values()].sort((a, b) => String(a.span_id).localeCompare(String(b.span_id)));
    expect(stored).toEqual(expected.spans);
    expect([...store.rows.get('span_events')!.values()]).toHaveLength(4);
  });

  it('deletes a segment only after the store acknowledged it, retrying with doubling backoff', async () => {
    const dir = tempDir('spool');
    const spool = await Spool.open({ dir });
    const store = new MemoryStore();
    store.failInserts = 4;
    const waits: number[] = [];
    let written = 0;
    const drain = new SpoolDrain(spool, store, {
      intervalMs: 5,
      backoffMsMin: 5,
      backoffMsMax: 20,
      onRetry: (_error, _attempt, waitMs) => waits.push(waitMs),
      onWritten: (spans) => (written += spans),
    });
    await spool.append(frame(1, 2, 3));
    drain.start();
    await waitFor(() => waits.length >= 2, 5_000, 'two failed writes');
    expect(existsSync(join(dir, 'segment-000000000001.spool'))).toBe(true);
    await waitFor(() => written === 3, 5_000, 'the segment written');
    expect(waits).toEqual([5, 10, 20, 20]);
    expect(existsSync(join(dir, 'segment-000000000001.spool'))).toBe(false);
    expect(store.spanIds()).toHaveLength(3);
    expect(store.rows.get('span_events')?.size).toBe(3);
    expect([...store.rows.get('runs')!.values()]).toMatchObject([{ run_id: 'r', baton_version: 'otlp' }]);
    await drain.stop();
    await spool.close();
  });

  it('stopped while the store is down, it leaves the segment for the next process to replay', async () => {
    const dir = tempDir('spool');
    const spool = await Spool.open({ dir });
    const store = new MemoryStore();
    store.failInserts = Number.POSITIVE_INFINITY;
    let retries = 0;
    const drain = new SpoolDrain(spool, store, { intervalMs: 5, backoffMsMin: 5, onRetry: () => (retries += 1) });
    await spool.append(frame(7));
    drain.start();
    await waitFor(() => retries > 0, 5_000, 'a failed write');
    await drain.stop();
    await spool.close();

    const replayed = await Spool.open({ dir });
    const healthy = new MemoryStore();
    const next = new SpoolDrain(replayed, healthy, { intervalMs: 5 });
    next.start();
    await waitFor(() => healthy.spanIds().length === 1, 5_000, 'replay');
    await waitFor(() => replayed.bytes === 0, 5_000, 'segment removed');
    await next.stop();
    await replayed.close();
  });

  it('quarantines a segment the reachable store keeps refusing, and moves on', async () => {
    const dir = tempDir('spool');
    const spool = await Spool.open({ dir });
    const store = new MemoryStore();
    const insert = store.insert.bind(store);
    store.insert = async (table, rows) => {
      if ((rows as { name?: string }[]).some((row) => row.name === 'span-666')) throw new Error('Cannot parse input (simulated poison row)');
      return insert(table, rows);
    };
    let quarantined = '';
    const drain = new SpoolDrain(spool, store, {
      intervalMs: 5,
      backoffMsMin: 1,
      quarantineAfterAttempts: 3,
      storeReachable: async () => true,
      onQuarantine: (_segment, movedTo) => (quarantined = movedTo),
    });
    await spool.append(frame(666));
    await spool.sealActive();
    await spool.append(frame(1));
    drain.start();
    await waitFor(() => store.spanIds().length === 1, 5_000, 'the good segment behind the poison one');
    expect(quarantined).toBe(join(dir, 'quarantine', 'segment-000000000001.spool'));
    expect(existsSync(quarantined)).toBe(true);
    await drain.stop();
    await spool.close();
    expect((await Spool.open({ dir })).sealed().map((segment) => segment.path)).not.toContain(join(dir, 'segment-000000000001.spool'));
  });

  it('never quarantines while the store is unreachable', async () => {
    const spool = await Spool.open({ dir: tempDir('spool') });
    const store = new MemoryStore();
    store.failInserts = Number.POSITIVE_INFINITY;
    let retries = 0;
    let quarantines = 0;
    const drain = new SpoolDrain(spool, store, {
      intervalMs: 5,
      backoffMsMin: 1,
      backoffMsMax: 2,
      quarantineAfterAttempts: 2,
      storeReachable: async () => false,
      onRetry: () => (retries += 1),
      onQuarantine: () => (quarantines += 1),
    });
    await spool.append(frame(1));
    drain.start();
    await waitFor(() => retries >= 10, 5_000, 'ten failed writes');
    expect(quarantines).toBe(0);
    expect(spool.bytes).toBeGreaterThan(0);
    await drain.stop();
    await spool.close();
  });
});
