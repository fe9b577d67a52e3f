import { main } from './main.js';

// The process entry of the `baton` command.

// A reader that closes the pipe early (`baton check scenarios/*.yaml | head -1`) wants no more
// output: that is not an error. Later writes to stdout are dropped, and the command finishes
// as it would have (a sweep still stores every run).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.stdout.write = (() => true) as typeof process.stdout.write;
});

process.exitCode = await main(process.argv.slice(2));
