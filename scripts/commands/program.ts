// `thesis <command> [project-dir]`: build, watch, check, progress, refs.
// Exit codes: 0 success, 1 the command found problems or failed, 2 bad usage.
// The command line is a function of its arguments and a Terminal, so it runs
// the same in its own process (cli.ts) and in-process (tests, editors).
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseIsoDate } from '../read/dates.js';
import { toolchainDir } from '../core/toolchain-dir.js';
import { pdfStandards } from '../read/config-schema.js';
import { builtinTemplateNames } from '../read/template.js';
import { guardedTerminal, type Terminal } from './output.js';
import { exportFormatNames, outputFormatNames, type OutputFormat } from '../core/output-formats.js';
import type { ThesisFolder } from '../pipeline.js';
import { allowedFolders } from '../core/allowed-folders.js';
import { commandHint, setInvocation } from '../core/invocation.js';
import { findThesisFolder } from '../core/thesis-folder.js';

// Each command loads its own modules when it runs, so start-up stays short.
const commands = {
  build: () => import('./build.js'),
  check: () => import('./check.js'),
  progress: () => import('./progress.js'),
  watch: () => import('./watch.js'),
  review: () => import('./review.js'),
  diff: () => import('./diff.js'),
  refs: () => import('./refs.js'),
  init: () => import('./init.js'),
  lsp: () => import('./lsp.js'),
  preview: () => import('./preview.js'),
};

const knownOutputs = outputFormatNames;

/** `--to pdf,docx`: the outputs, each once, in the order given. */
function outputsOption(value: string): OutputFormat[] {
  const formats = value.split(',').map((format) => format.trim().toLowerCase()).filter(Boolean);
  const unknown = formats.filter((format) => !(knownOutputs as readonly string[]).includes(format));
  if (unknown.length || formats.length === 0) throw new InvalidArgumentError(`the outputs are ${knownOutputs.join(', ')} (comma-separated), not "${unknown.join(', ') || value}"`);
  return [...new Set(formats)] as OutputFormat[];
}

function todayOption(value: string): Date {
  const date = parseIsoDate(value);
  if (!date) throw new InvalidArgumentError('expected a date as YYYY-MM-DD, e.g. 2020-07-01');
  return date;
}

/** Runs one command line (without the `node cli.js` part); resolves to the exit code. */
export async function runCommandLine(argv: string[], given: Terminal): Promise<number> {
  // Every string any command prints goes through one guard: a thesis's titles, keys, file names
  // and messages never act on the terminal (commands/output.ts guardText).
  const terminal = guardedTerminal(given);
  let exitCode = 0;
  setInvocation(terminal.env);
  /**
   * The thesis folder: `--project`, else the positional argument, else the
   * nearest folder holding a thesis from where the user stands; with the
   * folders outside it the user allows (`--allow`, THESIS_ALLOW, the user's
   * configuration file).
   */
  const projectDir = (positional: string | undefined, options: { project?: string; allow?: string[] }): ThesisFolder => {
    const given = options.project ?? positional;
    const dir = given ? path.resolve(terminal.cwd, given) : findThesisFolder(terminal.cwd);
    if (!dir) throw new NoThesisHere(terminal.cwd);
    const allowed = allowedFolders(options.allow ?? [], terminal.env, terminal.cwd);
    for (const problem of allowed.problems) terminal.stderr.write(`${problem}\n`);
    return { dir, allow: allowed.folders };
  };

  const program = new Command()
    .name('thesis')
    .description('Build, watch and check a thesis written in Markdown.')
    .version(toolchainVersion(), '-V, --version', 'print the toolchain\'s version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => terminal.stdout.write(text), writeErr: (text) => terminal.stderr.write(text) });

  program
    .command('build')
    .description('typeset the thesis to dist/thesis.pdf and write the progress report')
    .argument('[project-dir]', thesisFolderHelp)
    .addOption(projectOption())
    .addOption(allowOption())
    .option('--strict', 'treat unknown citation keys as errors')
    .option('--typst', 'also write the generated Typst to dist/thesis.typ')
    .addOption(new Option('--pdf-standard <standard>', 'write an archival or accessible PDF (over thesis.yaml\'s pdf-standard)').choices(pdfStandards))
    .option('--today <YYYY-MM-DD>', 'date the progress report is measured against', todayOption)
    .option('--to <formats>', `the outputs, comma-separated: ${outputFormatNames.join(', ')} (default: pdf)`, outputsOption)
    .option('--no-raw', 'do not run raw Typst or copy raw HTML: for a thesis you did not write')
    .action(async (dir: string | undefined, options) => {
      const project = projectDir(dir, options);
      exitCode = await (await commands.build()).buildCommand(terminal, project, options);
    });

  program
    .command('watch')
    .description('rebuild the PDF and the progress report on every save')
    .argument('[project-dir]', thesisFolderHelp)
    .addOption(projectOption())
    .addOption(allowOption())
    .option('--strict', 'treat unknown citation keys as errors')
    .option('--today <YYYY-MM-DD>', 'date the progress report is measured against', todayOption)
    .option('--to <formats>', `also keep these outputs current, comma-separated: ${exportFormatNames.join(', ')}`, outputsOption)
    .action(async (dir: string | undefined, options) => {
      const project = projectDir(dir, options);
      exitCode = await (await commands.watch()).watchCommand(terminal, project, options);
    });

  program
    .command('preview')
    .description('watch, and show the thesis in a browser beside the editor: updated on every save, a click names the line')
    .argument('[project-dir]', thesisFolderHelp)
    .addOption(projectOption())
    .addOption(allowOption())
    .option('--strict', 'treat unknown citation keys as errors')
    .option('--no-open', 'print the address only; do not open a browser')
    .option('--port <n>', 'the port on 127.0.0.1 (default: any free one)', (value: string) => {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError(`a port is a number from 1 to 65535, not "${value}"`);
      return port;
    })
    .action(async (dir: string | undefined, options) => {
      const project = projectDir(dir, options);
      exitCode = await (await commands.preview()).previewCommand(terminal, project, options);
    });

  program
    .command('check')
    .description('the deadline check: milestones, citations, TODOs, word limits, an up-to-date PDF')
    .argument('[project-dir]', thesisFolderHelp)
    .addOption(projectOption())
    .addOption(allowOption())
    .option('--as-of <date|milestone>', 'check as of a day ahead: a date (YYYY-MM-DD) or a milestone\'s title (its due date)')
    .option('--today <YYYY-MM-DD>', 'the same as --as-of with a date', todayOption)
    .option('--spelling', 'also check the spelling of the prose (English and German dictionaries; thesis/words.txt for your own words)')
    .option('--grammar', 'also give English grammar and style hints (Harper; needs harper.js installed)')
    .addOption(formatOption())
    .action(async (dir: string | undefined, options) => {
      const project = projectDir(dir, options);
      exitCode = await (await commands.check()).checkCommand(terminal, project, options);
    });

  program
    .command('progress')
    .description('where the thesis stands against its time plan; writes dist/progress.html and .json')
    .argument('[project-dir]', thesisFolderHelp)
    .addOption(projectOption())
    .addOption(allowOption())
    .option('--today <YYYY-MM-DD>', 'measure against this date (default: today)', todayOption)
    .addOption(formatOption())
    .action(async (dir: string | undefined, options) => {
      const project = projectDir(dir, options);
      exitCode = (await commands.progress()).progressCommand(terminal, project, options);
    });

  program
    .command('diff')
    .description('the thesis with what changed since a git revision marked: dist/thesis-diff.pdf')
    .argument('[revision]', 'a tag, a commit or HEAD~3 (default: the last tag)')
    .addOption(projectOption())
    .addOption(allowOption())
    .option('--to <formats>', 'the outputs, comma-separated: pdf, docx (Word tracked changes), html, odt (default: pdf)', outputsOption)
    .action(async (revision: string | undefined, options) => {
      const project = projectDir(undefined, options);
      exitCode = await (await commands.diff()).diffCommand(terminal, project, revision, options);
    });

  program
    .command('review')
    .description('the comments and tracked changes of a Word file made with --to docx, at their Markdown lines')
    .argument('<docx>', 'the Word file the supervisor returned')
    .addOption(projectOption())
    .addOption(allowOption())
    .addOption(formatOption())
    .action(async (docx: string, options) => {
      const project = projectDir(undefined, options);
      exitCode = await (await commands.review()).reviewCommand(terminal, project, docx, options);
    });

  program
    .command('init')
    .description('start a thesis that builds at once: in a new folder, or here, beside what the folder holds (a README, package.json)')
    .argument('[dir]', 'the new thesis folder (new, or without thesis/ and bibliography/)')
    .option('--here', 'start the thesis in the current folder')
    .option('--lang <tag>', 'the thesis language, e.g. de-AT', 'en-US')
    .option('--template <name>', `the template (${builtinTemplateNames().join(', ')})`, 'thesis')
    .action(async (dir: string | undefined, options: { here?: boolean; lang?: string; template?: string }) => {
      if (!dir && !options.here) {
        terminal.stderr.write(`thesis init: name the new thesis folder (${commandHint('init', 'my-thesis')}) or start it in this one (${commandHint('init', '--here')})\n`);
        exitCode = 2;
        return;
      }
      exitCode = (await commands.init()).initCommand(terminal, path.resolve(terminal.cwd, dir ?? '.'), options);
    });

  program
    .command('lsp')
    .description('the language server for editors (LSP over stdio): diagnostics as you type, completion, hover, go to, rename')
    .option('--stdio', 'talk over standard input and output (the default; editors pass it)')
    .option('--grammar', 'also give English grammar hints (Harper; needs harper.js installed; about 650 MB more memory)')
    .action(async (options: { grammar?: boolean }) => {
      exitCode = (await commands.lsp()).lspCommand({ grammar: options.grammar === true });
    });

  const refs = program.command('refs').description('the reference manager: check, list, add, rename, format, export the bibliography');

  refs
    .command('check')
    .description('broken, duplicated, incomplete, malformed, missing and never-cited entries')
    .argument('[project-dir]', thesisFolderHelp)
    .addOption(projectOption())
    .addOption(allowOption())
    .action(async (dir: string | undefined, options) => {
      exitCode = (await commands.refs()).refsCheck(terminal, projectDir(dir, options));
    });

  refs
    .command('list')
    .description('find sources by author, title, year or keyword, and where the thesis cites them')
    .argument('[query...]', 'words that must all match')
    .addOption(projectOption())
    .addOption(allowOption())
    .action(async (query: string[], options) => {
      exitCode = (await commands.refs()).refsList(terminal, projectDir(undefined, options), query);
    });

  refs
    .command('add')
    .description('add entries (BibTeX, BibLaTeX, RIS, CSL-JSON) from a file or a paste, or a source by its DOI, ISBN, arXiv id or PubMed id; keys kept')
    .argument('[source]', 'a file, - for standard input (the default: paste, then Ctrl-D), or an identifier: 10.1002/poi3.213, https://doi.org/…, ISBN 978-…, arXiv:2101.00001, PMID 31452104', '-')
    .addOption(projectOption())
    .addOption(allowOption())
    .option('--force', 'add even when it looks like a duplicate')
    .option('--rekey', "give each entry a key made from key-pattern instead of the key it came with")
    .action(async (file: string, options) => {
      exitCode = await (await commands.refs()).refsAdd(terminal, projectDir(undefined, options), file, options);
    });

  refs
    .command('rename')
    .description('rename a key in the bibliography and in every chapter that cites it')
    .argument('<old>', 'current key')
    .argument('<new>', 'new key')
    .addOption(projectOption())
    .addOption(allowOption())
    .action(async (oldKey: string, newKey: string, options) => {
      exitCode = (await commands.refs()).refsRename(terminal, projectDir(undefined, options), oldKey, newKey);
    });

  refs
    .command('format')
    .description("print the formatted reference list in the thesis's style")
    .argument('[keys...]', 'entries to format (default: all)')
    .addOption(projectOption())
    .addOption(allowOption())
    .option('--cited', 'the entries the thesis cites')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'html']).default('text'))
    .action(async (keys: string[], options) => {
      exitCode = (await commands.refs()).refsFormat(terminal, projectDir(undefined, options), keys, options);
    });

  refs
    .command('export')
    .description('convert the bibliography to CSL-JSON or BibLaTeX')
    .addOption(new Option('--to <format>', 'target format').choices(['csl-json', 'bibtex']).makeOptionMandatory())
    .option('--output <file>', 'write to a file instead of standard output')
    .addOption(projectOption())
    .addOption(allowOption())
    .action(async (options) => {
      exitCode = (await commands.refs()).refsExport(terminal, projectDir(undefined, options), options);
    });


  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof NoThesisHere) {
      terminal.stderr.write(`thesis: ${error.message}\n`);
      return 2;
    }
    // A bug in the toolchain, not a problem in the thesis: say so plainly.
    terminal.stderr.write(`thesis: internal error: ${(error as Error).message}\nPlease report this with the command you ran.\n`);
    return 1;
  }
  return exitCode;
}

/** Where a command finds the thesis when no folder is named. */
const thesisFolderHelp = 'thesis folder (default: the nearest folder with thesis/thesis.yaml, from here upward)';

/** `--project <dir>`: the thesis folder, for the commands whose positional argument is something else. */
function projectOption(): Option {
  return new Option('--project <dir>', thesisFolderHelp);
}

/** `--format text|json`: the commands that report, for people or for scripts. */
function formatOption(): Option {
  return new Option('--format <format>', 'output format: text for people, json for scripts').choices(['text', 'json']).default('text');
}

/** `--allow <dir>`, as often as needed: a folder outside the thesis the build may read (a Zotero export's). */
function allowOption(): Option {
  return new Option('--allow <dir>', 'let the build read this folder outside the thesis (where Zotero keeps its export); repeatable').argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

/** No thesis named, and none where the user stands. */
class NoThesisHere extends Error {
  constructor(cwd: string) {
    super(`no thesis here: neither ${cwd} nor a folder above it has thesis/thesis.yaml or chapters in thesis/; name the thesis folder (${commandHint('build', 'path/to/thesis')}) or start one here (${commandHint('init', '--here')})`);
  }
}

/** The toolchain's version, from its package.json. */
function toolchainVersion(): string {
  try {
    return String((JSON.parse(fs.readFileSync(path.join(toolchainDir, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}
