// `thesis init <dir>` or `thesis init --here`: a thesis that builds at once —
// thesis.yaml with its keys explained, a first chapter, a bibliography and
// the milestones' skeleton — in a new folder, or beside what a repository of
// the student's own already holds (a README, the package.json of `npm init`):
// a .gitignore for what the toolchain leaves, a GitHub Actions workflow that
// builds, checks and keeps the PDF, and the `build`, `watch` and `check`
// scripts in package.json, so `npm run build` works there too. It never
// overwrites: a folder that already has thesis/ or bibliography/ is refused,
// and a .gitignore, a workflow or a script that exists is left as it is.
import { languageOf } from '../core/language.js';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/write-atomic.js';
import { OutputRefusedError, ProjectBusyError, withProjectLock } from '../core/project-lock.js';
import { builtinTemplateNames } from '../read/template.js';
import type { Terminal } from './output.js';
import { relativePath } from '../core/diagnostics.js';
import { commandHint } from '../core/invocation.js';

export interface InitOptions {
  lang?: string;
  template?: string;
}

/** What the toolchain leaves in a thesis folder that is not the thesis: outputs, caches and the reference manager's backups. */
const ignored = ['dist/', 'node_modules/', '*.bak'];

/** The scripts a thesis repository's package.json gets, as this repository's own. */
const packageScripts: Record<string, string> = { build: 'thesis build', watch: 'thesis watch', check: 'thesis check', refs: 'thesis refs' };

/** GitHub Actions: install, build, check, and keep the PDF (and the progress report) as an artifact. */
const workflow = `# Builds the thesis on every push: the PDF and the progress report are kept
# as an artifact of the run, and the deadline check fails the run only for
# what is due (a milestone past its date, the submission's needs from its date on).
name: thesis
on:
  push:
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the whole history: the progress report charts words over time
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm run build
      - run: npm run check
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: thesis
          path: |
            dist/thesis.pdf
            dist/progress.html
`;


/** What the new thesis says, in its language (English for the languages not here). */
const chapterWords: Record<string, { introduction: string; text: string; title: string; author: string; type: string; institution: string }> = {
  en: { introduction: 'Introduction', title: 'The Title of the Thesis', text: 'The research question and why it matters. A first source is cited like this [@example2024, p. 3].', author: 'Your Name', type: 'Bachelor thesis', institution: 'Your University' },
  de: { introduction: 'Einleitung', title: 'Der Titel der Arbeit', text: 'Die Forschungsfrage und warum sie wichtig ist. Eine erste Quelle wird so zitiert [@example2024, S. 3].', author: 'Ihr Name', type: 'Bachelorarbeit', institution: 'Ihre Universität' },
};

function yamlFor(lang: string, today: string, template: string): string {
  const words = chapterWords[languageOf(lang).code] ?? chapterWords.en;
  return `# The thesis: what the title page shows, how it is typeset, what the deadline check measures.
# Every key is explained in the toolchain's README (section "thesis.yaml").
title: "${words.title}"
author: ${words.author}
type: ${words.type.padEnd(28)}# shown on the title page
institution: ${words.institution}
supervisor: Prof. Name
date: ${today.slice(0, 4).padEnd(28)}# a year, or YYYY-MM-DD (the PDF's date too)
lang: ${lang.padEnd(28)}# the document's language: hyphenation, quotes, citation terms
template: ${template.padEnd(24)}# ${builtinTemplateNames().join(', ')}, or templates/NAME.typ of your own
csl: apa                          # a CSL style id (chicago-author-date, ieee, …) or templates/NAME.csl
bibliography: bibliography/references.bib
chapters:
  - 01-introduction.md
# appendices: [appendix.md]      # after the reference list, numbered A, B, …
# abstract: abstract.md           # or a list: [{lang: en, text: …}, {lang: de, text: …}]
# declaration: true               # the declaration of authorship (English or German wording)
# place: Vienna                   # where the declaration is signed
# lof: true                       # list of figures
# lot: true                       # list of tables
# pdf-standard: a-2b              # an archival PDF/A, as many examination offices ask for
words: { min: 8000, max: 12000 }  # the whole thesis, without footnotes and appendices
milestones:                       # the deadline check (thesis check) measures these; the last one is the submission
  - title: First draft of the introduction
    due: ${addDays(today, 28)}
    chapters: [01-introduction.md]
    status: review                # draft < review < final
  - title: Submission
    due: ${addDays(today, 182)}
    chapters: [01-introduction.md]
    status: final
`;
}

/** An ISO date some days after another. */
function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function initCommand(terminal: Terminal, dir: string, options: InitOptions, today = new Date()): number {
  const lang = options.lang ?? 'en-US';
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang)) {
    terminal.stderr.write(`thesis init: "${lang}" is not a language tag such as en-US or de-AT\n`);
    return 2;
  }
  const template = options.template ?? 'thesis';
  const builtin = builtinTemplateNames();
  if (!builtin.includes(template)) {
    terminal.stderr.write(`thesis init: no template "${template}"; the templates are: ${builtin.join(', ')}\n`);
    return 2;
  }
  const shown = relativePath(dir, terminal.cwd) || '.';
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    terminal.stderr.write(`${shown}: error: not a folder [usage]\n`);
    return 1;
  }
  // Two inits at once in one folder (two terminals, an editor's command and a script) would both find it empty and
  // both write: the second waits for the first under the project's lock, then finds the thesis there.
  // A folder with a thesis is refused before the lock, which would leave a dist/ in it.
  if (refuseTaken(terminal, dir, shown)) return 1;
  fs.mkdirSync(dir, { recursive: true });
  try {
    return withProjectLock(dir, 'init', () => writeNewThesis(terminal, dir, shown, lang, template, today));
  } catch (error) {
    if (!(error instanceof ProjectBusyError) && !(error instanceof OutputRefusedError)) throw error;
    terminal.stderr.write(`${shown}: error: ${error.message} [usage]\n`);
    return 1;
  }
}

/** Says so and returns true when `dir` already holds a thesis's folders (nothing is overwritten). */
function refuseTaken(terminal: Terminal, dir: string, shown: string): boolean {
  const taken = ['thesis', 'bibliography'].filter((name) => fs.existsSync(path.join(dir, name)));
  if (taken.length) terminal.stderr.write(`${shown}: error: the folder is not empty: it already has ${taken.map((name) => `${name}/`).join(' and ')}; nothing is overwritten (a new thesis goes into a folder without them) [usage]\n`);
  return taken.length > 0;
}

/** The new thesis's files written into `dir` (holding the project's lock), unless it has one. */
function writeNewThesis(terminal: Terminal, dir: string, shown: string, lang: string, template: string, today: Date): number {
  if (refuseTaken(terminal, dir, shown)) return 1;
  const words = chapterWords[languageOf(lang).code] ?? chapterWords.en;
  const iso = today.toISOString().slice(0, 10);
  const files: [string, string][] = [
    ['thesis/thesis.yaml', yamlFor(lang, iso, template)],
    ['thesis/01-introduction.md', `---\ntitle: ${words.introduction}\nstatus: draft\ntarget: 1500\n---\n\n# ${words.introduction}\n\n${words.text}\n`],
    ['bibliography/references.bib', '@book{example2024,\n  author    = {Doe, Jane},\n  title     = {An Example Book},\n  publisher = {Example Press},\n  location  = {Vienna},\n  year      = {2024},\n}\n'],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, text);
    written.push(name);
  }
  // A .gitignore of the student's own keeps its lines; what is missing is added.
  const gitignore = path.join(dir, '.gitignore');
  const present = fs.existsSync(gitignore) ? fs.readFileSync(gitignore, 'utf8') : '';
  const missing = ignored.filter((line) => !present.split(/\r?\n/).some((existing) => existing.trim() === line));
  if (missing.length) {
    writeFileAtomic(gitignore, `${present}${present && !present.endsWith('\n') ? '\n' : ''}${present ? '\n' : ''}# what the thesis toolchain leaves\n${missing.join('\n')}\n`);
    written.push('.gitignore');
  }
  const workflowFile = path.join(dir, '.github', 'workflows', 'thesis.yml');
  if (!fs.existsSync(workflowFile)) {
    fs.mkdirSync(path.dirname(workflowFile), { recursive: true });
    writeFileAtomic(workflowFile, workflow);
    written.push('.github/workflows/thesis.yml');
  }
  const scripted = addPackageScripts(path.join(dir, 'package.json'));
  if (scripted) written.push(`package.json (${scripted})`);
  terminal.stdout.write(`a new thesis in ${shown}: ${written.join(', ')}\nbuild it with: ${shown === '.' ? commandHint('build') : commandHint('build', shown)}\n`);
  return 0;
}

/**
 * The toolchain's scripts in a package.json of the student's own (the one of
 * `npm init`, with the toolchain as a dependency), those it has already left
 * as they are; none without a package.json. Returns what was added.
 */
function addPackageScripts(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  let manifest: { scripts?: Record<string, string>; name?: string };
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof manifest;
  } catch {
    return null;
  }
  // This repository's own package.json (the template way) has its scripts.
  if (manifest.name === 'thesis-toolchain') return null;
  const scripts = { ...(manifest.scripts ?? {}) };
  const added = Object.keys(packageScripts).filter((name) => !(name in scripts) || /^echo "Error: no test specified"/.test(scripts[name]));
  if (!added.length) return null;
  for (const name of added) scripts[name] = packageScripts[name];
  const indent = /^\{\n(\s+)"/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? '  ';
  writeFileAtomic(file, `${JSON.stringify({ ...manifest, scripts }, null, indent)}\n`);
  return `scripts ${added.join(', ')}`;
}
