import { sqlIdentifier } from './sql.js';
import { StoreError } from './span-store.js';

/** Database used when the URL has no path. */
export const DEFAULT_DATABASE = 'baton';

/** A parsed `http(s)://user:pass@host:port/db` URL. */
export interface ClickHouseUrl {
  /** `http(s)://host:port`, no credentials, no path. */
  readonly origin: string;
  readonly username: string;
  readonly password: string;
  readonly database: string;
  /** The URL as it may be printed: user kept, password removed. */
  readonly redacted: string;
}

/** The URL given to `--clickhouse` / `BATON_CLICKHOUSE_URL` is not usable. */
export class ClickHouseUrlError extends StoreError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('BATON_ERR_CONFIG_CLICKHOUSE_URL', `invalid ClickHouse URL: ${reason}; expected http://user:pass@host:8123/db`, {
      ...options,
      retryable: false,
    });
    this.name = 'ClickHouseUrlError';
  }
}

/**
 * Parses a ClickHouse server URL. User and password are percent-decoded;
 * the database is the first path segment (default `baton`) and must be a
 * plain identifier. Query strings and fragments are refused rather than
 * silently ignored. Error messages never contain the password.
 */
export function parseClickHouseUrl(text: string): ClickHouseUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // No `cause`: Node's URL error carries the input, password included.
    throw new ClickHouseUrlError(`not a URL (${redactUnparsed(text)})`);
  }
  const redacted = redactUrl(url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClickHouseUrlError(`${redacted} must start with http:// or https://`);
  }
  if (url.search !== '' || url.hash !== '') throw new ClickHouseUrlError(`${redacted} must not have a query string or fragment`);
  const segments = url.pathname.split('/').filter((segment) => segment.length > 0);
  if (segments.length > 1) throw new ClickHouseUrlError(`${redacted}: the path is the database name, one segment`);
  const database = segments.length === 1 ? decodeURIComponent(segments[0]) : DEFAULT_DATABASE;
  try {
    sqlIdentifier(database);
  } catch {
    throw new ClickHouseUrlError(`${redacted}: database ${JSON.stringify(database)} is not a plain identifier`);
  }
  const port = url.port === '' ? '' : `:${url.port}`;
  return {
    origin: `${url.protocol}//${url.hostname}${port}`,
    username: url.username === '' ? 'default' : decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    redacted,
  };
}

/** `url` without its password (the user name stays: it helps find the problem). */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.password = '';
  return copy.href.replace(/\/$/, '');
}

/** Best effort for text that is not a URL: drop anything between `:` and `@` after the scheme. */
function redactUnparsed(text: string): string {
  return text.replace(/^([a-z+]*:\/\/[^:@/]*):[^@/]*@/i, '$1@');
}
