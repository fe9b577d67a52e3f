import { crc32 } from 'node:zlib';
import type { RunBatch } from '../otlp/decode-trace-request.js';
import { RunRowLines } from '../span-lines.js';
import { spanEventRows, spanRow } from '../span-rows.js';
import { JsonLines } from './json-lines.js';
import type { SpanEventRow, SpanRow } from '../store/rows.js';
import { rowsOf } from '../store/row-text.js';
import type { RawRowFormat, SpanStore } from '../store/span-store.js';
import { UnrepresentableInTsv } from '../tsv-text.js';

/**
 * One accepted batch as rows: what `decodeSegment` gives back (tests and
 * stores without `insertRaw` read records this way).
 */
export interface SpoolRecord {
  spans: SpanRow[];
  events: SpanEventRow[];
}

/** The run columns of a record's spans: enough for the drain's `runs` rows without reading the spans. */
export type SpoolRun = Pick<SpanRow, 'run_id' | 'recorded_date' | 'sweep_id' | 'scenario' | 'seed'>;

/**
 * One record as stored: its rows already as text in `format` (each row
 * `JSON.stringify` of the row object, or of its values in column order for
 * JSONCompactEachRow, each followed by a newline), so the drain hands them to
 * the store without parsing and serializing them again.
 */
export interface RawSpoolRecord {
  runs: SpoolRun[];
  spanCount: number;
  format: RawRowFormat;
  /** `spans` rows. */
  spans: Buffer;
  /** `span_events` rows. */
  events: Buffer;
}

/** Bytes before each record: payload length (u32 LE) and CRC-32 of the payload (u32 LE). */
export const RECORD_HEADER_BYTES = 8;

/**
 * First payload byte of a record, by the format of its rows. The first
 * record format (a JSON object, so its payload began with `{`) is still read,
 * so a spool left by an older collector replays.
 */
const FORMAT_TAGS: Record<RawRowFormat, number> = { JSONEachRow: 0x02, JSONCompactEachRow: 0x03, TabSeparated: 0x04 };
const FORMAT_OF_TAG = new Map<number, RawRowFormat>(Object.entries(FORMAT_TAGS).map(([format, tag]) => [tag, format as RawRowFormat]));
/** Tag, meta length (u32 LE), spans text length (u32 LE). */
const RAW_PREFIX_BYTES = 9;

export function spoolRecordOf(batches: readonly RunBatch[]): SpoolRecord {
  const record: SpoolRecord = { spans: [], events: [] };
  for (const { run, spans } of batches) {
    for (const span of spans) {
      record.spans.push(spanRow(span, run));
      for (const event of spanEventRows(span, run)) record.events.push(event);
    }
  }
  return record;
}

/**
 * The row format the collector spools in for `store`: the one its `insertRaw`
 * takes with the least work — JSONCompactEachRow (chDB), else TabSeparated
 * (ClickHouse 18.16 reads no JSONCompactEachRow), else JSONEachRow. Both
 * are about half the bytes of JSONEachRow to build, sync and parse.
 */
export function spoolRowFormat(store: Pick<SpanStore, 'insertRaw' | 'rawFormats'>): RawRowFormat {
  if (store.insertRaw === undefined) return 'JSONEachRow';
  const formats = store.rawFormats ?? [];
  if (formats.includes('JSONCompactEachRow')) return 'JSONCompactEachRow';
  return formats.includes('TabSeparated') ? 'TabSeparated' : 'JSONEachRow';
}

/**
 * Decoded batches framed for appending (the request path): each row's line
 * in `format` built from the span record (RunRowLines) and written straight
 * into the record's buffer, without row objects or joining their text first.
 * For the JSON formats the bytes are those of
 * `encodeSpoolRecord(spoolRecordOf(batches), format)`. A record with a value
 * TabSeparated cannot carry exactly is written as JSONEachRow instead.
 */
export function encodeBatches(batches: readonly RunBatch[], format: RawRowFormat = 'JSONEachRow'): Buffer {
  try {
    return encodeBatchesAs(batches, format);
  } catch (error) {
    if (!(error instanceof UnrepresentableInTsv)) throw error;
    return encodeBatchesAs(batches, 'JSONEachRow');
  }
}

function encodeBatchesAs(batches: readonly RunBatch[], format: RawRowFormat): Buffer {
  const spans = new JsonLines();
  const events = new JsonLines(4 * 1024);
  const runs: SpoolRun[] = [];
  for (const { run, spans: records } of batches) {
    runs.push({ run_id: run.runId, recorded_date: run.recordedDate, sweep_id: run.sweepId, scenario: run.scenario, seed: run.seed });
    const lines = new RunRowLines(run, format);
    for (const span of records) {
      spans.pushLines(lines.span(span), 1);
      if (span.events.length > 0) events.pushLines(lines.events(span), span.events.length);
    }
  }
  return frame(format, runs, spans.bytes(), events.bytes());
}

/** A record framed for appending: header, then the payload. */
export function encodeSpoolRecord(record: SpoolRecord, format: 'JSONEachRow' | 'JSONCompactEachRow' = 'JSONEachRow'): Buffer {
  const runs = new Map<string, SpoolRun>();
  for (const { run_id, recorded_date, sweep_id, scenario, seed } of record.spans) {
    runs.set(`${run_id}\u0000${recorded_date}`, { run_id, recorded_date, sweep_id, scenario, seed });
  }
  const lines = (rows: readonly object[]): Buffer => {
    const text = new JsonLines();
    for (const row of rows) text.push(JSON.stringify(format === 'JSONEachRow' ? row : Object.values(row)));
    return text.bytes();
  };
  return frame(format, [...runs.values()], lines(record.spans), lines(record.events));
}

function frame(format: RawRowFormat, runs: SpoolRun[], spansText: Buffer, eventsText: Buffer): Buffer {
  // Runs as arrays, not objects: the meta is in every record, so keep it short.
  const meta = Buffer.from(JSON.stringify(runs.map((run) => [run.run_id, run.recorded_date, run.sweep_id, run.scenario, run.seed])), 'utf8');
  const payloadBytes = RAW_PREFIX_BYTES + meta.length + spansText.length + eventsText.length;
  const framed = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payloadBytes);
  framed.writeUInt32LE(payloadBytes, 0);
  framed.writeUInt8(FORMAT_TAGS[format], RECORD_HEADER_BYTES);
  framed.writeUInt32LE(meta.length, RECORD_HEADER_BYTES + 1);
  framed.writeUInt32LE(spansText.length, RECORD_HEADER_BYTES + 5);
  let offset = RECORD_HEADER_BYTES + RAW_PREFIX_BYTES;
  for (const part of [meta, spansText, eventsText]) offset += part.copy(framed, offset);
  framed.writeUInt32LE(crc32(framed.subarray(RECORD_HEADER_BYTES)), 4);
  return framed;
}

/** What reading a segment found. */
export interface SegmentContents<R = SpoolRecord> {
  records: R[];
  /**
   * Bytes after the last whole record. Only a crash while appending leaves
   * them (a torn write that was never acknowledged), so they are dropped.
   */
  tornBytes: number;
}

/** Reads framed records until the end or the first incomplete or corrupt one, as row objects. */
export function decodeSegment(bytes: Buffer): SegmentContents {
  const { records, tornBytes } = decodeSegmentRaw(bytes);
  return {
    records: records.map((record) => ({
      spans: rowsOf<SpanRow>(record.spans, record.format, 'spans'),
      events: rowsOf<SpanEventRow>(record.events, record.format, 'span_events'),
    })),
    tornBytes,
  };
}

/** Reads framed records until the end or the first incomplete or corrupt one, rows as text. */
export function decodeSegmentRaw(bytes: Buffer): SegmentContents<RawSpoolRecord> {
  const records: RawSpoolRecord[] = [];
  let offset = 0;
  while (offset + RECORD_HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const checksum = bytes.readUInt32LE(offset + 4);
    const end = offset + RECORD_HEADER_BYTES + length;
    if (end > bytes.length) break;
    const payload = bytes.subarray(offset + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== checksum) break;
    const format = FORMAT_OF_TAG.get(payload[0]!);
    records.push(format === undefined ? rawRecordOfJson(payload) : rawRecordOf(payload, format));
    offset = end;
  }
  return { records, tornBytes: bytes.length - offset };
}

function rawRecordOf(payload: Buffer, format: RawRowFormat): RawSpoolRecord {
  const metaBytes = payload.readUInt32LE(1);
  const spansBytes = payload.readUInt32LE(5);
  const spansStart = RAW_PREFIX_BYTES + metaBytes;
  const meta = JSON.parse(payload.toString('utf8', RAW_PREFIX_BYTES, spansStart)) as [string, string, string, string, number][];
  const spans = payload.subarray(spansStart, spansStart + spansBytes);
  return {
    runs: meta.map(([run_id, recorded_date, sweep_id, scenario, seed]) => ({ run_id, recorded_date, sweep_id, scenario, seed })),
    spanCount: lineCount(spans),
    format,
    spans,
    events: payload.subarray(spansStart + spansBytes),
  };
}

/** A record of the first format (one JSON object of row arrays), as text. */
function rawRecordOfJson(payload: Buffer): RawSpoolRecord {
  const record = JSON.parse(payload.toString('utf8')) as SpoolRecord;
  const text = (rows: object[]): Buffer => Buffer.from(rows.map((row) => `${JSON.stringify(row)}\n`).join(''), 'utf8');
  const runs = record.spans.map(({ run_id, recorded_date, sweep_id, scenario, seed }) => ({ run_id, recorded_date, sweep_id, scenario, seed }));
  return { runs, spanCount: record.spans.length, format: 'JSONEachRow', spans: text(record.spans), events: text(record.events) };
}

/** Rows in JSONEachRow text: every row ends with a newline, and JSON.stringify never writes a raw one. */
function lineCount(text: Buffer): number {
  let count = 0;
  for (let at = text.indexOf(0x0a); at >= 0; at = text.indexOf(0x0a, at + 1)) count += 1;
  return count;
}
