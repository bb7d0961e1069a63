#!/usr/bin/env node
// The `thesis` command: the command line of this process on its terminal.
import { processTerminal } from './commands/output.js';
import { runCommandLine } from './commands/program.js';
import { pandocOncePerProcess } from './core/pandoc-thread.js';

pandocOncePerProcess();

process.exitCode = await runCommandLine(process.argv.slice(2), processTerminal());
