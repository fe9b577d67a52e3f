import { parseArgs } from 'node:util';
import { CollectorConfigError } from '../../collector/server/collector-errors.js';
import { DEFAULT_COLLECTOR_HOST, DEFAULT_COLLECTOR_PORT, TOKEN_ENV } from '../../collector/server/collector-options.js';
import { DEFAULT_SPOOL_DIR, startCollector } from '../../collector/server/start-collector.js';
import { createDashboardPages } from '../../reports/dashboard/dashboard-pages.js';
import { EXIT } from '../exit-codes.js';
import { STORE_HELP, STORE_OPTIONS } from '../store-option.js';

export const COLLECTOR_HELP = `Usage: baton collector [options]

Runs the OTLP/HTTP trace receiver: POST /v1/traces (JSON or protobuf, gzip),
spans spooled to disk before the 200, then written to ClickHouse. GET / is
the dashboard (runs, a run's report, two runs compared). Clients send
"Authorization: Bearer $${TOKEN_ENV}"; the dashboard also takes ?token= once
and keeps a cookie. SIGTERM or SIGINT stops it; the spool keeps what is not
yet stored and the next start replays it. See docs/deploy.md.

Options:
  --port N              TCP port, 0 for a free one (default ${DEFAULT_COLLECTOR_PORT})
  --host ADDR           interface to bind (default ${DEFAULT_COLLECTOR_HOST}); 0.0.0.0 for all
  --spool DIR           spool directory on a persistent disk (default ${DEFAULT_SPOOL_DIR})
  --insecure-no-auth    accept requests without a token; loopback addresses only
  --spool-bytes-max N   spool size past which requests get 503 (default 1 GiB)
  --body-limit-bytes N  largest request body (default 16 MiB)
  --decode-threads N    worker threads decoding request bodies; 0 decodes on the main
                        thread (default: the number of CPUs, at most 4)
  --log                 log requests and store retries (JSON lines on stdout)
${STORE_HELP}  -h, --help            this help

Examples:
  baton collector --insecure-no-auth
  ${TOKEN_ENV}=$(openssl rand -hex 32) baton collector --host 0.0.0.0 --spool /var/lib/baton/spool \\
    --clickhouse http://baton:secret@clickhouse:8123/baton
  open "http://127.0.0.1:4318/?token=$${TOKEN_ENV}"
`;

/** A `--name N` value as a non-negative integer (port 0 is allowed). */
function integerOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < 0) {
    throw new CollectorConfigError('BATON_ERR_COLLECTOR_OPTION', `--${name} expects a non-negative integer, got "${text}"`);
  }
  if (name === 'port' && value > 65_535) throw new CollectorConfigError('BATON_ERR_COLLECTOR_OPTION', `--port must be at most 65535, got ${value}`);
  return value;
}

/**
 * `baton collector`: listens until SIGTERM/SIGINT, then closes (server, drain,
 * spool, store) and resolves 0. Bad options (CollectorConfigError, a bad
 * ClickHouse URL) exit 2 through `reportError`.
 */
export async function collectorCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      spool: { type: 'string' },
      'insecure-no-auth': { type: 'boolean', default: false },
      'spool-bytes-max': { type: 'string' },
      'body-limit-bytes': { type: 'string' },
      'decode-threads': { type: 'string' },
      log: { type: 'boolean', default: false },
      ...STORE_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(COLLECTOR_HELP);
    return EXIT.ok;
  }
  const collector = await startCollector({
    port: integerOption('port', values.port),
    host: values.host,
    spoolDir: values.spool,
    clickhouseUrl: values.clickhouse,
    clickhouseCluster: values['clickhouse-cluster'],
    dataDir: values['data-dir'],
    insecureNoAuth: values['insecure-no-auth'],
    spoolBytesMax: integerOption('spool-bytes-max', values['spool-bytes-max']),
    bodyLimitBytes: integerOption('body-limit-bytes', values['body-limit-bytes']),
    decodeThreads: integerOption('decode-threads', values['decode-threads']),
    logger: values.log ? { level: 'info' } : false,
    dashboard: createDashboardPages(),
  });
  out.write(`baton collector listening on ${collector.url}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  out.write(`baton collector: ${signal}, closing\n`);
  await collector.close();
  return EXIT.ok;
}
