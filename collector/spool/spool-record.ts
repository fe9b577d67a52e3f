import { crc32 } from 'node:zlib';
import type { RunBatch } from '../otlp/decode-trace-request.js';
import { spanEventRows, spanRow } from '../span-rows.js';
import type { SpanEventRow, SpanRow } from '../store/rows.js';

/**
 * One accepted batch as stored in the spool: the rows the store will get,
 * already built, so replay needs nothing but the file.
 */
export interface SpoolRecord {
  spans: SpanRow[];
  events: SpanEventRow[];
}

/** Bytes before each record: payload length (u32 LE) and CRC-32 of the payload (u32 LE). */
export const RECORD_HEADER_BYTES = 8;

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

/** A record framed for appending: header, then JSON payload. */
export function encodeSpoolRecord(record: SpoolRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(record), 'utf8');
  const header = Buffer.alloc(RECORD_HEADER_BYTES);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

/** What reading a segment found. */
export interface SegmentContents {
  records: SpoolRecord[];
  /**
   * Bytes after the last whole record. Only a crash while appending leaves
   * them (a torn write that was never acknowledged), so they are dropped.
   */
  tornBytes: number;
}

/** Reads framed records until the end or the first incomplete or corrupt one. */
export function decodeSegment(bytes: Buffer): SegmentContents {
  const records: SpoolRecord[] = [];
  let offset = 0;
  while (offset + RECORD_HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const checksum = bytes.readUInt32LE(offset + 4);
    const end = offset + RECORD_HEADER_BYTES + length;
    if (end > bytes.length) break;
    const payload = bytes.subarray(offset + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== checksum) break;
    records.push(JSON.parse(payload.toString('utf8')) as SpoolRecord);
    offset = end;
  }
  return { records, tornBytes: bytes.length - offset };
}
