/**
 * Runnable collector for containers and tests, the same as `baton collector`
 * (see `baton collector --help`; flags, exit codes and the dashboard are its):
 *   node --import tsx collector/server/main.ts --port 0 --spool DIR --data-dir DIR --insecure-no-auth
 * An entry point, so it may wire the CLI in; nothing imports it.
 */
import { main } from '../../cli/main.js';

process.exitCode = await main(['collector', ...process.argv.slice(2)]);
