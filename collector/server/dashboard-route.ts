import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SpanStore } from '../store/span-store.js';
import { bearerTokenMatches } from './bearer-auth.js';
import type { CollectorContext } from './collector-context.js';

/** The dashboard's pages; each reads its parameters from the query string. */
export const DASHBOARD_PATHS = ['/', '/run', '/compare'] as const;
export type DashboardPath = (typeof DASHBOARD_PATHS)[number];

/** One page request: the path and the query string's single-valued parameters (the token removed). */
export interface DashboardRequest {
  path: DashboardPath;
  query: Readonly<Record<string, string>>;
}

/** A rendered page. `html` is a whole document whose every request value is escaped. */
export interface DashboardPage {
  statusCode: number;
  html: string;
}

/**
 * Renders the dashboard's pages from the store. The collector only
 * authenticates and serves them; the pages live in `reports/dashboard/` (the
 * dependency rule: collector/ does not import reports/), and `baton collector`
 * wires them in.
 */
export interface DashboardPages {
  render(request: DashboardRequest, store: SpanStore): Promise<DashboardPage>;
}

/** Cookie that keeps a browser signed in after one `?token=` visit. */
export const DASHBOARD_COOKIE = 'baton_session';

// Scripts are never needed: the pages are server-rendered HTML with inline SVG.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
} as const;

/**
 * GET /, /run, /compare. Same token rule as ingest: with a token configured, a
 * request needs `Authorization: Bearer <token>`, or the session cookie. A
 * browser gets the cookie by opening any page with `?token=<token>` once: the
 * answer sets it (HttpOnly, SameSite=Strict) and redirects to the same page
 * without the token, so it leaves the address bar and the history. The cookie
 * holds an HMAC of the token, not the token, so it cannot be used to ingest.
 * Without injected `pages`, the paths answer 404.
 */
export function registerDashboardRoute(app: FastifyInstance, context: CollectorContext, store: SpanStore, pages: DashboardPages | undefined): void {
  const { options } = context;
  const token = options.insecureNoAuth ? undefined : options.token;
  const session = token === undefined ? undefined : sessionValue(token);
  for (const path of DASHBOARD_PATHS) {
    app.get(path, async (request, reply) => {
      void reply.headers(SECURITY_HEADERS);
      const query = singleValued(request.query);
      const presented = query.token;
      delete query.token;
      if (token !== undefined && session !== undefined) {
        if (presented !== undefined && bearerTokenMatches(`Bearer ${presented}`, token)) {
          return reply
            .code(303)
            .header('set-cookie', `${DASHBOARD_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`)
            .header('location', `${path}${queryString(query)}`)
            .send();
        }
        if (!bearerTokenMatches(request.headers.authorization, token) && !cookieMatches(request, session)) {
          return reply.code(401).type('text/plain').send('unauthorized');
        }
      }
      if (!pages) return reply.code(404).type('text/plain').send('the dashboard is not enabled in this collector');
      return servePage(request, reply, pages, { path, query }, store);
    });
  }
}

async function servePage(request: FastifyRequest, reply: FastifyReply, pages: DashboardPages, page: DashboardRequest, store: SpanStore): Promise<FastifyReply> {
  try {
    const { statusCode, html } = await pages.render(page, store);
    return reply.code(statusCode).type('text/html; charset=utf-8').send(html);
  } catch (error) {
    request.log.warn({ err: error }, 'dashboard page failed');
    return reply.code(503).type('text/plain').send('the store is not reachable right now');
  }
}

function sessionValue(token: string): string {
  return createHmac('sha256', token).update('baton dashboard session v1').digest('base64url');
}

function cookieMatches(request: FastifyRequest, session: string): boolean {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== DASHBOARD_COOKIE) continue;
    const presented = Buffer.from(rest.join('='));
    const expected = Buffer.from(session);
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) return true;
  }
  return false;
}

/** The query as single strings: a repeated parameter keeps its first value, non-strings are dropped. */
function singleValued(query: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') result[key] = first;
  }
  return result;
}

function queryString(query: Record<string, string>): string {
  const text = new URLSearchParams(query).toString();
  return text === '' ? '' : `?${text}`;
}
