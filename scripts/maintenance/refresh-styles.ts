// Refreshes styles/: the CSL project's citation styles (chicago-author-date,
// ieee, modern-language-association, din-1505-2, … about 2,900 independent
// styles and 8,000 dependent ones), so `csl: <id>` works offline after
// `npm ci` with nothing downloaded. The styles are data, shipped in the
// repository as the CSL locales are:
//
// - styles/index.json: every style id with its title; an independent style's
//   place in a chunk, a dependent style's parent and default locale;
// - styles/chunk-NN.xml.br: the independent styles' XML, concatenated and
//   Brotli-compressed in chunks of about 2 MB, so naming one style
//   decompresses one chunk (a few milliseconds), not 60 MB;
// - styles/LICENSE.txt: the styles' licence (CC BY-SA 3.0) and source.
//
// The source is a folder laid out as the CSL styles repository is (`*.csl`
// and `dependent/*.csl`): a clone of github.com/citation-style-language/styles
// or Debian's citation-style-language-styles package, which ships that
// repository as it is:
//
//   apt-get download citation-style-language-styles
//   dpkg-deb -x citation-style-language-styles_*.deb /tmp/csl
//   npm run compile && node compiled/scripts/maintenance/refresh-styles.js \
//     /tmp/csl/usr/share/citation-style-language/styles "Debian citation-style-language-styles 0.2.208-1"
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { toolchainDir } from '../core/toolchain-dir.js';
import { chunkFile, styleLibraryFormat, type StyleLibraryIndex } from '../format/style-library.js';

const chunkBytes = 2_000_000;

function titleOf(xml: string): string {
  const raw = /<title>([\s\S]*?)<\/title>/.exec(xml)?.[1] ?? '';
  return raw.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").trim();
}

function parentOf(xml: string): string | null {
  const href = /<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="independent-parent"/.exec(xml)?.[1] ?? /<link\b[^>]*\brel="independent-parent"[^>]*\bhref="([^"]+)"/.exec(xml)?.[1];
  return href ? href.replace(/\/+$/, '').split('/').pop() ?? null : null;
}

function main(): void {
  const [source, version] = process.argv.slice(2);
  if (!source || !version || !fs.existsSync(path.join(source, 'dependent'))) {
    console.error('usage: refresh-styles <folder with *.csl and dependent/*.csl> "<where it came from, with its version>"');
    process.exit(2);
  }
  const csl = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.csl')).sort();
  const index: StyleLibraryIndex = { format: styleLibraryFormat, source: 'https://github.com/citation-style-language/styles', version, independent: {}, dependent: {} };
  const out = path.join(toolchainDir, 'styles');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out);

  let chunk: Buffer[] = [];
  let chunkNumber = 0;
  let offset = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    const raw = Buffer.concat(chunk);
    fs.writeFileSync(
      path.join(out, chunkFile(chunkNumber)),
      zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    );
    chunk = [];
    offset = 0;
  };
  const licences = new Map<string, string[]>();
  for (const name of csl(source)) {
    const id = name.slice(0, -'.csl'.length);
    const bytes = fs.readFileSync(path.join(source, name));
    const xml = bytes.toString('utf8');
    if (offset > 0 && offset + bytes.length > chunkBytes) {
      flush();
      chunkNumber++;
    }
    index.independent[id] = [titleOf(xml), chunkNumber, offset, bytes.length];
    chunk.push(bytes);
    offset += bytes.length;
    const licence = /<rights\b[^>]*\blicense="([^"]+)"/.exec(xml)?.[1] ?? 'no licence stated';
    licences.set(licence, [...(licences.get(licence) ?? []), id]);
  }
  flush();
  let orphans = 0;
  for (const name of csl(path.join(source, 'dependent'))) {
    const xml = fs.readFileSync(path.join(source, 'dependent', name), 'utf8');
    const parent = parentOf(xml);
    if (!parent || !index.independent[parent]) {
      orphans++;
      continue;
    }
    const locale = /<style\b[^>]*\bdefault-locale="([^"]+)"/.exec(xml)?.[1] ?? null;
    index.dependent[name.slice(0, -'.csl'.length)] = [titleOf(xml), parent, locale];
  }
  fs.writeFileSync(path.join(out, 'index.json'), `${JSON.stringify(index)}\n`);
  fs.writeFileSync(
    path.join(out, 'LICENSE.txt'),
    [
      `These citation styles are taken from ${index.source}`,
      `(${version}).`,
      '',
      'Each style states its licence in its <rights> element; by licence:',
      ...[...licences].map(([licence, ids]) => `- ${licence}: ${ids.length} styles${ids.length <= 10 ? ` (${ids.join(', ')})` : ''}`),
      '',
      'The styles are redistributed unchanged (concatenated and compressed); the authors and',
      'contributors of each style are named in its <info> element.',
      '',
    ].join('\n'),
  );
  console.log(`${Object.keys(index.independent).length} independent styles in ${chunkNumber + 1} chunks and ${Object.keys(index.dependent).length} dependent styles written to styles/ (${orphans} dependent styles without a known parent left out)`);
}

main();
