import { encodeBatches } from '../spool/spool-record.js';
import type { RawRowFormat } from '../store/span-store.js';
import { decodeTraceRequest } from './decode-trace-request.js';
import type { OtlpEncoding } from './otlp-attributes.js';
import { OtlpDecodeError } from './otlp-error.js';
import type { ResolvedOtlpLimits } from './otlp-limits.js';
import { BodyTooLargeError, UnsupportedEncodingError, parseTraceBody } from './parse-trace-body.js';

/** One request body to decode, and what decoding needs besides it. Plain data: it crosses to worker threads. */
export interface DecodeJob {
  body: Uint8Array;
  encoding: OtlpEncoding;
  contentEncoding: string | undefined;
  bodyLimitBytes: number;
  limits: ResolvedOtlpLimits;
  nowNs: bigint;
  /** Format of the rows in the spool record: one the store's `insertRaw` takes. Default JSONEachRow. */
  rowFormat?: RawRowFormat;
}

/** A decoded request: the spool record of its accepted spans (none when it has none) and the counts. */
export interface DecodedFrame {
  frame: Uint8Array | undefined;
  acceptedSpans: number;
  rejectedSpans: number;
  errors: string[];
}

/**
 * The CPU-heavy part of a request, pure: decompress, parse (JSON or
 * protobuf), decode into runs of spans, and frame the accepted rows as a
 * spool record. Throws OtlpDecodeError (400), BodyTooLargeError (413) or
 * UnsupportedEncodingError (415).
 */
export function decodeToFrame(job: DecodeJob): DecodedFrame {
  const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
  const raw = parseTraceBody(body, job.encoding, job.contentEncoding, job.bodyLimitBytes);
  const decoded = decodeTraceRequest(raw, job.encoding, job.limits, job.nowNs);
  return {
    frame: decoded.acceptedSpans > 0 ? encodeBatches(decoded.batches, job.rowFormat) : undefined,
    acceptedSpans: decoded.acceptedSpans,
    rejectedSpans: decoded.rejectedSpans,
    errors: decoded.errors,
  };
}

/** A decode failure as plain data (errors lose their class crossing threads). */
export type DecodeFailure =
  | { kind: 'malformed'; message: string }
  | { kind: 'too-large'; bytesMax: number }
  | { kind: 'content-encoding'; contentEncoding: string }
  | { kind: 'internal'; message: string };

export function failureOf(error: unknown): DecodeFailure {
  if (error instanceof OtlpDecodeError) return { kind: 'malformed', message: error.message };
  if (error instanceof BodyTooLargeError) return { kind: 'too-large', bytesMax: error.bytesMax };
  if (error instanceof UnsupportedEncodingError) return { kind: 'content-encoding', contentEncoding: error.contentEncoding };
  return { kind: 'internal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/** The error `decodeToFrame` threw, rebuilt on the other side. */
export function errorOf(failure: DecodeFailure): Error {
  switch (failure.kind) {
    case 'malformed':
      return new OtlpDecodeError(failure.message);
    case 'too-large':
      return new BodyTooLargeError(failure.bytesMax);
    case 'content-encoding':
      return new UnsupportedEncodingError(failure.contentEncoding);
    case 'internal':
      return new Error(`decode worker: ${failure.message}`);
  }
}
