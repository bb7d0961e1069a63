// `thesis init <dir>`: a new thesis folder that builds at once — thesis.yaml
// with its keys explained, a first chapter, a bibliography and the
// milestones' skeleton. It never writes into a folder that holds files.
import { languageOf } from '../core/language.js';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/write-atomic.js';
import { builtinTemplateNames } from '../read/template.js';
import type { Terminal } from './output.js';

export interface InitOptions {
  lang?: string;
  template?: string;
}


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
milestones:                       # the deadline check (npm run check) measures these
  - title: First draft of the introduction
    due: ${today}
    chapters: [01-introduction.md]
    status: draft                 # draft < review < final
`;
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
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    terminal.stderr.write(`${dir}: error: the folder is not empty; a new thesis goes into a new or empty folder, so nothing is overwritten [usage]\n`);
    return 1;
  }
  const words = chapterWords[languageOf(lang).code] ?? chapterWords.en;
  const iso = today.toISOString().slice(0, 10);
  const files: [string, string][] = [
    ['thesis/thesis.yaml', yamlFor(lang, iso, template)],
    ['thesis/01-introduction.md', `---\ntitle: ${words.introduction}\nstatus: draft\ntarget: 1500\n---\n\n# ${words.introduction}\n\n${words.text}\n`],
    ['bibliography/references.bib', '@book{example2024,\n  author    = {Doe, Jane},\n  title     = {An Example Book},\n  publisher = {Example Press},\n  location  = {Vienna},\n  year      = {2024},\n}\n'],
    ['.gitignore', 'dist/\n'],
  ];
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, text);
  }
  terminal.stdout.write(`a new thesis in ${path.relative(terminal.cwd, dir) || dir}: ${files.map(([name]) => name).join(', ')}\nbuild it with: npm run build -- ${path.relative(terminal.cwd, dir) || dir}\n`);
  return 0;
}
