import { main } from './main.js';

// The process entry of the `baton` command.
process.exitCode = await main(process.argv.slice(2));
