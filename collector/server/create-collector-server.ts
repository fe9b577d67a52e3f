import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { resolveOtlpLimits } from '../otlp/otlp-limits.js';
import { OTLP_MEDIA_TYPES } from '../otlp/parse-trace-body.js';
import { Spool } from '../spool/spool.js';
import { SpoolDrain } from '../spool/spool-drain.js';
import { spoolRowFormat } from '../spool/spool-record.js';
import { CollectorListenError, LISTEN_PROBLEMS } from './collector-errors.js';
import { CollectorMetrics } from './collector-metrics.js';
import { resolveCollectorOptions, type CollectorServerOptions } from './collector-options.js';
import type { CollectorContext } from './collector-context.js';
import { createDecoder } from './decode-pool.js';
import { registerDashboardRoute } from './dashboard-route.js';
import { registerHealthRoutes } from './health-routes.js';
import { refuse, registerTracesRoute, responseEncoding } from './traces-route.js';

/** A collector built but not yet listening. */
export interface CollectorServer {
  readonly app: FastifyInstance;
  readonly metrics: CollectorMetrics;
  readonly spool: Spool;
  /**
   * Binds the port and starts moving the spool (replaying what an earlier
   * process left) to the store. Throws CollectorListenError when the address
   * cannot be bound (port in use); the caller still closes the server.
   */
  listen(): Promise<{ url: string; port: number }>;
  /** Stops taking requests, stops the drain after its current write, closes the spool. Leaves the store open. */
  close(): Promise<void>;
}

/**
 * Builds the OTLP/HTTP collector: routes, spool and drain. Throws
 * CollectorConfigError for an unsafe setup (no token and no
 * `insecureNoAuth`, or `insecureNoAuth` on a non-loopback host).
 */
export async function createCollectorServer(input: CollectorServerOptions): Promise<CollectorServer> {
  const options = resolveCollectorOptions(input);
  const spool = await Spool.open({ dir: options.spoolDir, bytesMax: options.spoolBytesMax, segmentBytesMax: options.segmentBytesMax });
  const metrics = new CollectorMetrics();
  const context: CollectorContext = {
    options,
    limits: resolveOtlpLimits(options.limits),
    spool,
    metrics,
    inflight: { bytes: 0 },
    decoder: createDecoder(options.decodeThreads),
    rowFormat: spoolRowFormat(options.store),
  };
  const app = Fastify({ logger: options.logger, bodyLimit: options.bodyLimitBytes, return503OnClosing: true });
  const drain = drainToStore(context, app);

  registerTracesRoute(app, context);
  registerHealthRoutes(app, context, options.store);
  registerDashboardRoute(app, context, options.store, options.dashboard);
  app.setNotFoundHandler((request, reply) => refuse(reply, context, responseEncoding(request), 404, 'malformed', `no route ${request.method} ${request.url.split('?')[0]}`));
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return refuse(reply, context, 'json', 415, 'unsupported_media_type', `unsupported Content-Type: use ${OTLP_MEDIA_TYPES.json} or ${OTLP_MEDIA_TYPES.protobuf}`);
    }
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'unexpected error');
    const reason = status === 413 ? 'too_large' : status === 415 ? 'unsupported_media_type' : status === 500 ? 'internal' : 'malformed';
    return refuse(reply, context, responseEncoding(request), status, reason, status === 500 ? 'internal error' : error.message);
  });

  let status: 'built' | 'listening' | 'closed' = 'built';
  return {
    app,
    metrics,
    spool,
    async listen() {
      if (status !== 'built') throw new Error(`collector cannot listen while ${status}`);
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      try {
        await app.listen({ port: options.port, host: options.host });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (code in LISTEN_PROBLEMS) throw new CollectorListenError(`${host}:${options.port}`, code, { cause: error });
        throw error;
      }
      status = 'listening';
      drain.start();
      const port = (app.server.address() as AddressInfo).port;
      return { url: `http://${host}:${port}`, port };
    },
    async close() {
      if (status === 'closed') return;
      status = 'closed';
      await app.close();
      await context.decoder.close();
      await drain.stop();
      await spool.close();
    },
  };
}

/** The spool drain, migrating the store before its first write and reporting to metrics and the log. */
function drainToStore(context: CollectorContext, app: FastifyInstance): SpoolDrain {
  const { options, metrics } = context;
  let migrated = false;
  return new SpoolDrain(context.spool, options.store, {
    ...options.drain,
    beforeWrite: async () => {
      if (migrated) return;
      await options.store.migrate();
      migrated = true;
    },
    onWritten: (spans) => {
      metrics.spansWritten += spans;
      metrics.segmentsWritten += 1;
    },
    onRetry: (error, attempt, waitMs) => {
      metrics.storeRetries += 1;
      if (attempt === 1 || attempt % 10 === 0) app.log.warn({ err: error, attempt, waitMs }, 'store write failed; will retry');
    },
    storeReachable: async () => {
      await options.store.query('SELECT 1 AS ok');
      return true;
    },
    onQuarantine: (segment, movedTo, error) => {
      metrics.segmentsQuarantined += 1;
      app.log.error({ err: error, segment: segment.path, movedTo }, 'the store keeps refusing a spool segment; quarantined it');
    },
    onTornTail: (segment, tornBytes) => {
      metrics.tornBytes += tornBytes;
      app.log.warn({ segment: segment.path, tornBytes }, 'dropped an unacknowledged torn write at the end of a spool segment');
    },
  });
}
