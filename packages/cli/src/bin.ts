#!/usr/bin/env node
// The `tessera` executable.
import { main } from './main.js';

// `tessera conformance --list | head` closes stdout early; that is not an error worth a stack.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
