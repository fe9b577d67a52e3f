import { parseArgs } from 'node:util';
import { SCHEMA_VERSION } from '../../collector/store/schema.js';
import { openStore, STORE_HELP, STORE_OPTIONS } from '../store-option.js';

export const MIGRATE_HELP = `Usage: baton migrate [options]

Creates baton's database and tables if missing and records the schema version.
Idempotent; "baton run" does it too, so this is for preparing a shared server.

Options:
${STORE_HELP}  -h, --help         this help

Examples:
  baton migrate
  baton migrate --clickhouse http://ci:secret@clickhouse:8123/baton
`;

/** `baton migrate`. */
export async function migrateCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { ...STORE_OPTIONS, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    out.write(MIGRATE_HELP);
    return 0;
  }
  const store = await openStore(values);
  try {
    await store.migrate();
    out.write(`schema version ${SCHEMA_VERSION} in place (${store.engine}, database ${store.database})\n`);
    return 0;
  } finally {
    await store.close();
  }
}
