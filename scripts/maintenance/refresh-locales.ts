// Refreshes locales/: the CSL project's locale files (the terms a reference
// list prints in each language: "ed.", "Hrsg.", "et al.", "n.d."), available
// offline after `npm ci`. They are the very files Pandoc embeds: Pandoc 3
// (pandoc-wasm, a pinned dependency) carries the CSL locales as plain XML in
// its WebAssembly module, so taking them from there makes a reference list
// use Pandoc's terms word for word ("Trans.", "June"), and the locales move
// with the Pandoc the tests compare against. Run after updating pandoc-wasm:
//
//   npm run compile && node compiled/scripts/maintenance/refresh-locales.js
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { toolchainDir } from '../core/toolchain-dir.js';

const localeStart = /<\?xml version="1\.0" encoding="utf-8"\?>\s*<locale\b/g;

/** Every CSL locale in the module's bytes, by its `xml:lang`. */
export function localesInPandoc(wasm: Buffer): Map<string, string> {
  const text = wasm.toString('latin1');
  const found = new Map<string, string>();
  for (const match of text.matchAll(localeStart)) {
    const end = text.indexOf('</locale>', match.index);
    if (end < 0) continue;
    const xml = Buffer.from(text.slice(match.index, end + '</locale>'.length), 'latin1').toString('utf8');
    const tag = /xml:lang="([^"]+)"/.exec(xml)?.[1];
    if (tag && !found.has(tag)) found.set(tag, `${xml}\n`);
  }
  return found;
}

function main(): void {
  const wasmFile = path.join(path.dirname(createRequire(import.meta.url).resolve('pandoc-wasm')), 'pandoc.wasm');
  const locales = localesInPandoc(fs.readFileSync(wasmFile));
  if (!locales.has('en-US')) throw new Error(`no CSL locales found in ${wasmFile}`);
  const out = path.join(toolchainDir, 'locales');
  for (const old of fs.readdirSync(out).filter((name) => /^locales-.*\.xml$/.test(name))) fs.rmSync(path.join(out, old));
  const licences: string[] = [];
  for (const [tag, xml] of [...locales].sort(([a], [b]) => a.localeCompare(b))) {
    fs.writeFileSync(path.join(out, `locales-${tag}.xml`), xml);
    const info = /<info>[\s\S]*?<\/info>/.exec(xml)?.[0];
    if (info) licences.push(`${tag}\n${info}`);
  }
  const version = (JSON.parse(fs.readFileSync(path.join(path.dirname(wasmFile), '..', 'package.json'), 'utf8')) as { version: string }).version;
  fs.writeFileSync(
    path.join(out, 'LICENSES.txt'),
    `These locales are taken from https://github.com/citation-style-language/locales,\nas embedded in Pandoc (pandoc-wasm ${version}).\nThe licenses of the individual locales are as follows:\n\n${licences.join('\n\n---\n\n')}\n`,
  );
  fs.writeFileSync(path.join(out, 'index.json'), `${JSON.stringify({ source: 'https://github.com/citation-style-language/locales', embeddedIn: `pandoc-wasm ${version}`, tags: [...locales.keys()].sort() }, null, 2)}\n`);
  console.log(`${locales.size} locales written to ${path.relative(process.cwd(), out) || out} (as embedded in pandoc-wasm ${version})`);
}

main();
