import type { FastifyInstance } from 'fastify';
import type { SpanStore } from '../store/span-store.js';
import { sqlIdentifier } from '../store/sql.js';
import { bearerTokenMatches } from './bearer-auth.js';
import type { CollectorContext } from './collector-context.js';

const RUNS_LISTED_MAX = 200;

/**
 * PLACEHOLDER DASHBOARD. GET / lists the latest runs from `runs FINAL` as a
 * bare HTML table. The real dashboard (run report, charts, compare two runs)
 * replaces this once reports/ has its renderers; keep the route and the
 * token rule, replace the page.
 */
export function registerDashboardRoute(app: FastifyInstance, context: CollectorContext, store: SpanStore): void {
  const { options } = context;
  app.get('/', async (request, reply) => {
    if (options.token !== undefined && !options.insecureNoAuth && !bearerTokenMatches(request.headers.authorization, options.token)) {
      return reply.code(401).type('text/plain').send('unauthorized');
    }
    let rows: Record<string, unknown>[];
    try {
      rows = await store.query(
        `SELECT run_id, sweep_id, scenario, seed, verdict, toString(recorded_at) AS recorded_at FROM ${sqlIdentifier(store.database)}.runs FINAL ` +
          `ORDER BY recorded_at DESC LIMIT ${RUNS_LISTED_MAX}`,
      );
    } catch (error) {
      request.log.warn({ err: error }, 'dashboard query failed');
      return reply.code(503).type('text/html; charset=utf-8').send(page('<p>The store is not reachable right now.</p>'));
    }
    const columns = ['run_id', 'sweep_id', 'scenario', 'seed', 'verdict', 'recorded_at'];
    const head = `<tr>${columns.map((column) => `<th>${column}</th>`).join('')}</tr>`;
    const body = rows.map((row) => `<tr>${columns.map((column) => `<td>${escapeHtml(String(row[column] ?? ''))}</td>`).join('')}</tr>`).join('\n');
    const table = rows.length > 0 ? `<table>${head}\n${body}</table>` : '<p>No runs yet.</p>';
    return reply.code(200).type('text/html; charset=utf-8').send(page(table));
  });
}

function page(content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baton runs</title></head>
<body><h1>baton runs</h1><p>Placeholder: the full dashboard comes with reports/.</p>
${content}</body></html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
