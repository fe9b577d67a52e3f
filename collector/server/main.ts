/**
 * Runnable collector for tests and containers:
 *   node --import tsx collector/server/main.ts [--port 4318] [--host 127.0.0.1]
 *     [--spool DIR] [--clickhouse URL] [--data DIR] [--insecure-no-auth]
 *     [--spool-bytes-max N] [--body-limit-bytes N] [--log]
 * Prints one line `baton collector listening on <url>` when ready. SIGTERM or
 * SIGINT stops it cleanly; the spool keeps whatever was not yet stored.
 */
import { parseArgs } from 'node:util';
import { CollectorConfigError } from './collector-errors.js';
import { startCollector } from './start-collector.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4318' },
    host: { type: 'string' },
    spool: { type: 'string' },
    clickhouse: { type: 'string' },
    data: { type: 'string' },
    'insecure-no-auth': { type: 'boolean', default: false },
    'spool-bytes-max': { type: 'string' },
    'body-limit-bytes': { type: 'string' },
    log: { type: 'boolean', default: false },
  },
  strict: true,
});

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new CollectorConfigError('BATON_ERR_COLLECTOR_OPTION', `--${name} expects a non-negative integer, got ${text}`);
  return value;
}

try {
  const collector = await startCollector({
    port: integer('port', values.port),
    host: values.host,
    spoolDir: values.spool,
    clickhouseUrl: values.clickhouse,
    dataDir: values.data,
    insecureNoAuth: values['insecure-no-auth'],
    spoolBytesMax: integer('spool-bytes-max', values['spool-bytes-max']),
    bodyLimitBytes: integer('body-limit-bytes', values['body-limit-bytes']),
    logger: values.log ? { level: 'info' } : false,
  });
  process.stdout.write(`baton collector listening on ${collector.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    collector.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
        process.exit(3);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  const badInput = error instanceof CollectorConfigError || (error as { code?: string }).code === 'BATON_ERR_CONFIG_CLICKHOUSE_URL';
  process.exit(badInput ? 2 : 3);
}
