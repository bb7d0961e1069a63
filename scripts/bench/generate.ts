// A deterministic synthetic thesis for benchmarks: 1x is about 12,000 words
// in six chapters with 85 citations in every Pandoc form, 40 bibliography
// entries, footnotes, tables and a figure; 10x is ten times that. Also a
// bibliography of any size shaped like Zotero, JabRef and Mendeley exports.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** mulberry32: small, fast, and the same numbers on every machine. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)],
  };
}

const vocabulary = (
  'state society power credit system citizen trust governance surveillance discipline data platform score market regulation policy ' +
  'document reform province pilot city campaign sincerity punishment reward blacklist record behaviour norm institution authority ' +
  'legitimacy control technology algorithm information network public private company court government party administration ' +
  'self conduct subject practice discourse knowledge visibility panopticon observation examination judgement normalisation ' +
  'rational moral order harmony development modernisation enforcement compliance incentive sanction reputation honesty obligation'
).split(' ');
const connectives = ['however', 'moreover', 'therefore', 'in contrast', 'at the same time', 'as a result', 'in practice', 'for this reason'];
const families = ['Allen', 'Simon', 'Foucault', 'Kostka', 'Luxon', 'Nica', 'Zhen', 'Creemers', 'Liang', 'Chen', 'Wang', 'Zhang', 'Lyon', 'Bigo', 'Haggerty', 'Rose', 'Miller', 'Dean', 'Lemke', 'Ong', 'Müller', 'Østergaard', 'García', 'Dubois', 'Nakamura', 'Kim', 'Ahmed', 'Smith', 'Brown', 'Taylor'];
const givens = ['Amy', 'Bart', 'Michel', 'Genia', 'Nancy', 'Elvira', 'Simon', 'Rogier', 'Fan', 'Yu', 'Wei', 'Li', 'David', 'Didier', 'Kevin', 'Nikolas', 'Peter', 'Mitchell', 'Thomas', 'Aihwa', 'Jürgen', 'Søren', 'María', 'Claire', 'Haruki', 'Ji-woo', 'Sara', 'John', 'Emma', 'Olivia'];
const journals = ['Political Theory', 'Surveillance & Society', 'Policy & Internet', 'The China Quarterly', 'Journal of Contemporary China', 'Governance', 'Economy and Society', 'New Media & Society', 'International Journal of Philosophical Studies', 'Big Data & Society'];
const publishers = [['Pantheon Books', 'New York'], ['Routledge', 'London'], ['Oxford University Press', 'Oxford'], ['Polity', 'Cambridge'], ['Springer', 'Cham'], ['Palgrave Macmillan', 'Basingstoke']];

function title(rng: ReturnType<typeof random>): string {
  const words = Array.from({ length: rng.int(4, 9) }, () => rng.pick(vocabulary));
  const text = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  return rng.next() < 0.5 ? `${text}: The ${rng.pick(vocabulary)} of ${rng.pick(vocabulary)} in China` : text;
}

function sentence(rng: ReturnType<typeof random>, words: number): string {
  const parts = Array.from({ length: words }, () => rng.pick(vocabulary));
  if (rng.next() < 0.3) parts.splice(rng.int(1, Math.max(1, parts.length - 1)), 0, rng.pick(connectives) + ',');
  const text = parts.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

export interface GeneratedEntry {
  key: string;
  text: string;
}

/** BibTeX entries in the shapes real reference managers export. */
export function generateBibliography(count: number, seed = 1): GeneratedEntry[] {
  const rng = random(seed);
  const keys = new Set<string>();
  const entries: GeneratedEntry[] = [];
  for (let i = 0; i < count; i++) {
    const family = rng.pick(families);
    const year = rng.int(1960, 2023);
    let key = `${family.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase()}${year}`;
    for (let n = 0; keys.has(key); n++) key = key.replace(/[a-z]*$/, '') + String.fromCharCode(97 + (n % 26)).repeat(1 + Math.floor(n / 26));
    keys.add(key);
    const authors = Array.from({ length: rng.int(1, 4) }, (_, j) => (j === 0 ? `${family}, ${rng.pick(givens)}` : `${rng.pick(families)}, ${rng.pick(givens)}`)).join(' and ');
    const kind = rng.next();
    const doi = `10.${rng.int(1000, 9999)}/${rng.pick(vocabulary)}.${year}.${rng.int(100, 999)}`;
    const abstract = Array.from({ length: rng.int(2, 5) }, () => sentence(rng, rng.int(10, 20))).join(' ');
    let text: string;
    if (kind < 0.5) {
      // Zotero / Better BibTeX shape
      const first = rng.int(1, 300);
      text = `@article{${key},\n  title = {${title(rng)}},\n  author = {${authors}},\n  date = {${year}-${String(rng.int(1, 12)).padStart(2, '0')}},\n  journaltitle = {${rng.pick(journals).replace('&', '\\&')}},\n  volume = {${rng.int(1, 60)}},\n  number = {${rng.int(1, 6)}},\n  pages = {${first}--${first + rng.int(5, 30)}},\n  doi = {${doi}},\n  abstract = {${abstract}},\n  langid = {english},\n  keywords = {${rng.pick(vocabulary)},${rng.pick(vocabulary)}},\n  file = {/home/user/Zotero/storage/${key.toUpperCase()}/${family} - ${year}.pdf}\n}\n`;
    } else if (kind < 0.75) {
      const [publisher, place] = rng.pick(publishers);
      // JabRef shape
      text = `@Book{${key},\n  author    = {${authors}},\n  title     = {${title(rng)}},\n  publisher = {${publisher}},\n  address   = {${place}},\n  year      = {${year}},\n  owner     = {user},\n  timestamp = {2020.05.14},\n}\n`;
    } else if (kind < 0.9) {
      const [publisher] = rng.pick(publishers);
      // Mendeley shape
      text = `@incollection{${key},\nabstract = {${abstract}},\nauthor = {${authors}},\nbooktitle = {${title(rng)}},\neditor = {${rng.pick(families)}, ${rng.pick(givens)}},\nmendeley-groups = {Thesis},\npages = {${rng.int(1, 100)}--${rng.int(101, 200)}},\npublisher = {${publisher}},\ntitle = {{${title(rng)}}},\nyear = {${year}}\n}\n`;
    } else {
      text = `@techreport{${key},\n  author      = {${authors}},\n  title       = {${title(rng)}},\n  institution = {${rng.pick(['SSRN', 'MERICS', 'World Bank', 'Brookings Institution'])}},\n  number      = {${rng.int(1000, 999999)}},\n  year        = {${year}},\n  url         = {https://example.org/${key}},\n}\n`;
    }
    entries.push({ key, text });
  }
  return entries;
}

/** A one-pixel PNG, made here so the generator needs no files. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32 ? zlib.crc32(body) : crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.from([0, 40, 90, 160]))), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** Writes a complete thesis folder; `scale` 1 is about 12,000 words. */
export function generateThesis(dir: string, scale: number, seed = 7): { words: number; citations: number; entries: number } {
  const rng = random(seed * 1000 + scale);
  const entries = generateBibliography(40 * scale, seed);
  const keys = entries.map((e) => e.key);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'thesis', 'figures'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'bibliography'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'bibliography', 'references.bib'), entries.map((e) => e.text).join('\n'));
  fs.writeFileSync(path.join(dir, 'thesis', 'figures', 'model.png'), png());

  const chapters = 6;
  const wordsPerChapter = 2000 * scale;
  const citationsTotal = 85 * scale;
  let keyIndex = 0;
  const nextKey = () => keys[keyIndex++ % keys.length];
  // Every Pandoc citation form, in turn.
  const forms = [
    () => `[@${nextKey()}]`,
    () => `[@${nextKey()}, p. ${rng.int(1, 300)}]`,
    () => `[see @${nextKey()}, pp. ${rng.int(1, 100)}-${rng.int(101, 200)}; also @${nextKey()}]`,
    () => `@${nextKey()} [p. ${rng.int(1, 300)}]`,
    () => `[-@${nextKey()}]`,
    () => `@${nextKey()}`,
    () => `[@${nextKey()}; @${nextKey()}; @${nextKey()}]`,
    () => `[@${nextKey()}, chap. ${rng.int(1, 12)}]`,
  ];
  let citations = 0;
  let words = 0;
  const names = [];
  for (let c = 1; c <= chapters; c++) {
    const name = `${String(c).padStart(2, '0')}-chapter.md`;
    names.push(name);
    const lines = [`---\ntitle: Chapter ${c}\nstatus: draft\ntarget: ${wordsPerChapter}\n---\n`, `# Chapter ${c} {#sec:chapter${c}}\n`];
    let chapterWords = 0;
    let section = 0;
    const chapterCitations = Math.round(citationsTotal / chapters);
    let cited = 0;
    let footnote = 0;
    while (chapterWords < wordsPerChapter) {
      if (chapterWords >= section * 600) {
        section++;
        lines.push(`## Section ${c}.${section} {#sec:s${c}-${section}}\n`);
        if (section % 3 === 2) {
          lines.push(`| Technique | Reading | Count |\n|---|---|---:|\n${Array.from({ length: 4 }, () => `| ${rng.pick(vocabulary)} | ${rng.pick(vocabulary)} ${rng.pick(vocabulary)} | ${rng.int(1, 99)} |`).join('\n')}\n\n: ${sentence(rng, 5)} {#tbl:t${c}-${section}}\n`);
        }
        if (c === 1 && section === 1) lines.push(`![A model of the system](figures/model.png){#fig:model width=40%}\n`);
      }
      const sentences: string[] = [];
      for (let s = 0; s < rng.int(3, 6); s++) {
        const length = rng.int(12, 24);
        let text = sentence(rng, length);
        chapterWords += length;
        if (cited < chapterCitations && rng.next() < 0.35) {
          const form = forms[(citations + cited) % forms.length]();
          text = text.replace(/\.$/, ` ${form}.`);
          cited += (form.match(/@/g) ?? []).length;
        }
        if (rng.next() < 0.04) {
          footnote++;
          text += `[^n${footnote}]`;
          lines.push(`[^n${footnote}]: ${sentence(rng, 12)} See @${nextKey()}.\n`);
          cited++;
        }
        sentences.push(text);
      }
      if (rng.next() < 0.1) sentences.push(`As shown in @sec:chapter${c} and @fig:model, ${sentence(rng, 6).toLowerCase()}`);
      lines.push(sentences.join(' ') + '\n');
    }
    while (cited < chapterCitations) {
      lines.push(`${sentence(rng, 10)} ${forms[cited % forms.length]()}.\n`);
      cited++;
    }
    citations += cited;
    words += chapterWords;
    fs.writeFileSync(path.join(dir, 'thesis', name), lines.join('\n'));
  }
  fs.writeFileSync(
    path.join(dir, 'thesis', 'thesis.yaml'),
    `title: "A Synthetic Thesis at ${scale}x"\nauthor: Bench Writer\ncourse: Benchmarks\nsemester: 2026WS\nlang: en-US\ncsl: apa\nchapters:\n${names.map((n) => `  - ${n}`).join('\n')}\nnocite: ["@*"]\n`,
  );
  return { words, citations, entries: entries.length };
}
