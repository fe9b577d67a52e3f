import { parseArgs } from 'node:util';
import { prune } from '../../collector/store/prune.js';
import { UsageError } from '../exit-codes.js';
import { openStore, STORE_HELP, STORE_OPTIONS } from '../store-option.js';

export const PRUNE_HELP = `Usage: baton prune --older-than <N>d [options]

Drops stored runs older than N days: whole month partitions of every baton
table whose month ended before the cutoff (a month with one day inside the
window is kept whole).

Options:
  --older-than AGE   e.g. 30d, 12w (days or weeks); required
  --cluster NAME     the schema was created ON CLUSTER NAME
${STORE_HELP}  -h, --help         this help

Examples:
  baton prune --older-than 30d
  baton prune --older-than 90d --clickhouse http://ci:secret@clickhouse:8123/baton
`;

/**
 * Parses `30d` / `4w` into days. Past 2^53 the digits no longer name the number
 * of days they spell (they round), so such an age is refused rather than guessed.
 */
export function parseAgeDays(text: string): number {
  const match = /^(\d+)\s*([dw])$/.exec(text.trim());
  if (!match) throw new UsageError(`--older-than expects days or weeks, e.g. 30d or 4w; got "${text}"`);
  const days = Number(match[1]) * (match[2] === 'w' ? 7 : 1);
  if (!Number.isSafeInteger(days)) throw new UsageError(`--older-than "${text}" is too large: at most ${Number.MAX_SAFE_INTEGER} days`);
  return days;
}

/** `baton prune`. */
export async function pruneCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { 'older-than': { type: 'string' }, cluster: { type: 'string' }, ...STORE_OPTIONS, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out.write(PRUNE_HELP);
    return 0;
  }
  if (!values['older-than']) throw new UsageError(`baton prune needs --older-than\n\n${PRUNE_HELP}`);
  const days = parseAgeDays(values['older-than']);
  const store = await openStore(values);
  try {
    await store.migrate();
    const dropped = await prune(store, days, { cluster: values.cluster ?? values['clickhouse-cluster'] });
    if (dropped.length === 0) out.write(`nothing older than ${days} days\n`);
    for (const { table, partition } of dropped) out.write(`dropped ${table} ${partition}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
