import { gunzipSync } from 'node:zlib';
import type { OtlpEncoding } from './otlp-attributes.js';
import { OtlpDecodeError } from './otlp-error.js';
import { readExportTraceRequest } from './trace-proto-reader.js';

/** The media types of OTLP/HTTP trace requests. */
export const OTLP_MEDIA_TYPES: Record<OtlpEncoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

/** A decompressed body larger than allowed (HTTP 413). */
export class BodyTooLargeError extends Error {
  readonly code = 'BATON_ERR_OTLP_BODY_TOO_LARGE';
  constructor(readonly bytesMax: number) {
    super(`request body larger than ${bytesMax} bytes once decompressed`);
    this.name = 'BodyTooLargeError';
  }
}

/** A Content-Encoding other than gzip or identity (HTTP 415). */
export class UnsupportedEncodingError extends Error {
  readonly code = 'BATON_ERR_OTLP_CONTENT_ENCODING';
  constructor(readonly contentEncoding: string) {
    super(`unsupported Content-Encoding ${JSON.stringify(contentEncoding)}: use gzip or none`);
    this.name = 'UnsupportedEncodingError';
  }
}

/** The encoding a Content-Type names, or undefined for anything else. */
export function encodingOfContentType(contentType: string | undefined): OtlpEncoding | undefined {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === OTLP_MEDIA_TYPES.json) return 'json';
  if (mediaType === OTLP_MEDIA_TYPES.protobuf) return 'protobuf';
  return undefined;
}

/**
 * Decompresses (gzip, at most `bytesMax` out, against zip bombs) and parses a
 * request body into the object `decodeTraceRequest` reads: JSON as parsed;
 * protobuf read by trace-proto-reader.ts (the protobufjs message's shape,
 * int64 as bigint, bytes as Uint8Array).
 */
export function parseTraceBody(body: Buffer, encoding: OtlpEncoding, contentEncoding: string | undefined, bytesMax: number): unknown {
  const raw = decompress(body, contentEncoding, bytesMax);
  if (encoding === 'json') {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new OtlpDecodeError(`request body: malformed JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    return readExportTraceRequest(raw);
  } catch (error) {
    throw new OtlpDecodeError(`request body: malformed protobuf ExportTraceServiceRequest: ${(error as Error).message}`, { cause: error });
  }
}

function decompress(body: Buffer, contentEncoding: string | undefined, bytesMax: number): Buffer {
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return body;
  if (coding !== 'gzip' && coding !== 'x-gzip') throw new UnsupportedEncodingError(coding);
  try {
    return gunzipSync(body, { maxOutputLength: bytesMax });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(bytesMax);
    throw new OtlpDecodeError(`request body: malformed gzip: ${(error as Error).message}`, { cause: error });
  }
}
