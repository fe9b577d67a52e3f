import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { exportResponseBody, statusBody } from '../otlp/export-response.js';
import type { OtlpEncoding } from '../otlp/otlp-attributes.js';
import { OtlpDecodeError } from '../otlp/otlp-error.js';
import { BodyTooLargeError, OTLP_MEDIA_TYPES, UnsupportedEncodingError, encodingOfContentType } from '../otlp/parse-trace-body.js';
import { SpoolFullError, SpoolRecordTooLargeError } from '../spool/spool.js';
import { bearerTokenMatches } from './bearer-auth.js';
import type { CollectorContext } from './collector-context.js';
import type { RejectReason } from './collector-metrics.js';

export const TRACES_PATH = '/v1/traces';

/** Bytes reserved from the in-flight budget per request, released when its response is done. */
const reservations = new WeakMap<FastifyRequest, number>();
/** In-flight bytes reserved for a request without Content-Length until its body is read. */
const CHUNKED_BODY_ESTIMATE_BYTES = 1024 * 1024;

/**
 * POST /v1/traces (OTLP/HTTP). Order of checks, cheapest first: token (401),
 * spool full (503) and in-flight budget (429), then fastify reads the body
 * within the byte limit (413) for a known media type (415), then decoding
 * (400 or partial success) and the durable spool append; only then 200.
 */
export function registerTracesRoute(app: FastifyInstance, context: CollectorContext): void {
  const { options, metrics } = context;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    [OTLP_MEDIA_TYPES.json, OTLP_MEDIA_TYPES.protobuf],
    { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes },
    (_request, body, done) => done(null, body),
  );

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.split('?')[0] !== TRACES_PATH || request.method !== 'POST') return;
    const encoding = responseEncoding(request);
    if (options.token !== undefined && !options.insecureNoAuth && !bearerTokenMatches(request.headers.authorization, options.token)) {
      return refuse(reply, context, encoding, 401, 'unauthorized', 'unauthorized');
    }
    if (context.spool.isFull) {
      reply.header('retry-after', String(options.retryAfterSeconds));
      return refuse(reply, context, encoding, 503, 'spool_full', 'spool is full: the store is behind; retry later');
    }
    // Without Content-Length (chunked, as gzip streams often are) the size is
    // unknown: reserve an estimate and correct it once the body is read.
    const declared = Number(request.headers['content-length'] ?? Math.min(CHUNKED_BODY_ESTIMATE_BYTES, options.bodyLimitBytes));
    const bytes = Number.isFinite(declared) && declared >= 0 ? Math.min(declared, options.bodyLimitBytes) : options.bodyLimitBytes;
    if (context.inflight.bytes > 0 && context.inflight.bytes + bytes > options.inflightBytesMax) {
      reply.header('retry-after', '1');
      return refuse(reply, context, encoding, 429, 'overloaded', 'too many requests in flight; retry later');
    }
    context.inflight.bytes += bytes;
    reservations.set(request, bytes);
  });
  const release = async (request: FastifyRequest): Promise<void> => {
    const bytes = reservations.get(request);
    if (bytes === undefined) return;
    reservations.delete(request);
    context.inflight.bytes -= bytes;
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);

  app.post(TRACES_PATH, async (request, reply) => {
    const encoding = encodingOfContentType(request.headers['content-type']);
    if (!encoding) return refuse(reply, context, 'json', 415, 'unsupported_media_type', `unsupported Content-Type: use ${OTLP_MEDIA_TYPES.json} or ${OTLP_MEDIA_TYPES.protobuf}`);
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const reserved = reservations.get(request);
    if (reserved !== undefined && body.length > reserved) {
      context.inflight.bytes += body.length - reserved;
      reservations.set(request, body.length);
    }
    try {
      const decoded = await context.decoder.decode({
        body,
        encoding,
        contentEncoding: headerText(request.headers['content-encoding']),
        bodyLimitBytes: options.bodyLimitBytes,
        limits: context.limits,
        nowNs: options.nowNs(),
        rowFormat: context.rowFormat,
      });
      if (decoded.frame !== undefined) {
        await context.spool.append(Buffer.from(decoded.frame.buffer, decoded.frame.byteOffset, decoded.frame.byteLength));
        metrics.spansSpooled += decoded.acceptedSpans;
      }
      metrics.spansAccepted += decoded.acceptedSpans;
      metrics.spansRejected += decoded.rejectedSpans;
      const message = decoded.rejectedSpans > 0 ? `${decoded.rejectedSpans} spans rejected: ${decoded.errors.join('; ')}` : '';
      return reply.code(200).type(OTLP_MEDIA_TYPES[encoding]).send(exportResponseBody(encoding, decoded.rejectedSpans, message));
    } catch (error) {
      return answerError(error, request, reply, context, encoding);
    }
  });
}

function answerError(error: unknown, request: FastifyRequest, reply: FastifyReply, context: CollectorContext, encoding: OtlpEncoding): FastifyReply {
  if (error instanceof OtlpDecodeError) return refuse(reply, context, encoding, 400, 'malformed', error.message);
  if (error instanceof BodyTooLargeError) return refuse(reply, context, encoding, 413, 'too_large', error.message);
  if (error instanceof UnsupportedEncodingError) return refuse(reply, context, encoding, 415, 'unsupported_media_type', error.message);
  if (error instanceof SpoolRecordTooLargeError) return refuse(reply, context, encoding, 413, 'too_large', error.message);
  reply.header('retry-after', String(context.options.retryAfterSeconds));
  if (error instanceof SpoolFullError) return refuse(reply, context, encoding, 503, 'spool_full', error.message);
  // Anything else failed the spool append (disk full, I/O error): nothing was
  // acknowledged, so the client may retry safely.
  request.log.error({ err: error }, 'spool append failed');
  return refuse(reply, context, encoding, 503, 'internal', 'spool write failed; retry later');
}

/** Sends an OTLP error (google.rpc.Status) and counts it. */
export function refuse(
  reply: FastifyReply,
  context: CollectorContext,
  encoding: OtlpEncoding,
  status: number,
  reason: RejectReason,
  message: string,
): FastifyReply {
  context.metrics.reject(reason);
  return reply.code(status).type(OTLP_MEDIA_TYPES[encoding]).send(statusBody(encoding, status, message));
}

/** Errors answer in the request's encoding when it has a known one, else JSON. */
export function responseEncoding(request: FastifyRequest): OtlpEncoding {
  return encodingOfContentType(request.headers['content-type']) ?? 'json';
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
