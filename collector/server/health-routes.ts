import type { FastifyInstance } from 'fastify';
import type { SpanStore } from '../store/span-store.js';
import type { CollectorContext } from './collector-context.js';

const STORE_PROBE_TIMEOUT_MS = 2_000;

/**
 * GET /healthz: the process answers. GET /readyz: the store answers a query
 * within 2 s and the spool is below its limit (else 503 naming which).
 * GET /metrics: Prometheus text. None needs a token: they reveal counts only,
 * and probes and scrapers rarely carry one.
 */
export function registerHealthRoutes(app: FastifyInstance, context: CollectorContext, store: SpanStore): void {
  app.get('/healthz', async (_request, reply) => reply.code(200).send({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const problems: string[] = [];
    if (context.spool.isFull) problems.push(`spool is full (${context.spool.bytes} of ${context.spool.bytesMax} bytes)`);
    const storeProblem = await probeStore(store);
    if (storeProblem) problems.push(`store unreachable: ${storeProblem}`);
    if (problems.length > 0) return reply.code(503).send({ status: 'not ready', problems });
    return reply.code(200).send({ status: 'ready', spoolBytes: context.spool.bytes });
  });

  app.get('/metrics', async (_request, reply) =>
    reply
      .code(200)
      .type('text/plain; version=0.0.4; charset=utf-8')
      .send(
        context.metrics.render({
          spoolBytes: context.spool.bytes,
          spoolBytesMax: context.spool.bytesMax,
          spoolSegments: context.spool.sealed().length,
          inflightBytes: context.inflight.bytes,
        }),
      ),
  );
}

async function probeStore(store: SpanStore): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${STORE_PROBE_TIMEOUT_MS} ms`), STORE_PROBE_TIMEOUT_MS);
  });
  const probe = store.query('SELECT 1 AS ok').then(
    () => undefined,
    (error: unknown) => (error as Error).message.split('\n')[0],
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
