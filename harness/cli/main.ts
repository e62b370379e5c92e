#!/usr/bin/env node
// The bin: the process's io, the exit code. Everything else is runCli (importable, no side effects).
// First: Pact must never load with its telemetry on (see the module).
import '../util/no-pact-telemetry.js';
import { hideBin } from 'yargs/helpers';
import { processIo } from './process-io.js';
import { runCli } from './run-cli.js';

// Not a top-level await: the bin is bundled as one CommonJS script (scripts/bundle-cli.mjs).
void runCli(hideBin(process.argv), processIo()).then((code) => {
  process.exitCode = code;
});
