import type { OtlpEncoding } from './otlp-attributes.js';
import { ExportTraceServiceResponse, RpcStatus } from './trace-proto.js';

/**
 * The body of a 200: an ExportTraceServiceResponse, with `partialSuccess`
 * when some spans were rejected, in the encoding of the request.
 */
export function exportResponseBody(encoding: OtlpEncoding, rejectedSpans: number, errorMessage: string): Buffer | string {
  const partialSuccess = rejectedSpans > 0 ? { rejectedSpans, errorMessage } : undefined;
  if (encoding === 'json') return JSON.stringify(partialSuccess ? { partialSuccess } : {});
  const message = ExportTraceServiceResponse.fromObject(partialSuccess ? { partialSuccess } : {});
  return Buffer.from(ExportTraceServiceResponse.encode(message).finish());
}

/**
 * The body of a 4xx/5xx: a google.rpc.Status, in the encoding of the request
 * (JSON when the request's encoding is unknown). `code` is the gRPC code the
 * OTLP spec pairs with the HTTP status.
 */
export function statusBody(encoding: OtlpEncoding, httpStatus: number, message: string): Buffer | string {
  const code = GRPC_CODE_OF_HTTP[httpStatus] ?? GRPC_UNKNOWN;
  if (encoding === 'json') return JSON.stringify({ code, message });
  return Buffer.from(RpcStatus.encode(RpcStatus.fromObject({ code, message })).finish());
}

const GRPC_UNKNOWN = 2;
const GRPC_CODE_OF_HTTP: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  404: 5, // NOT_FOUND
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  429: 8,
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};
