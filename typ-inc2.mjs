import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { fontDirectories } from '/work/main/compiled/scripts/compile/fonts.js';
import path from 'node:path'; import fs from 'node:fs';
const dir = path.resolve(process.argv[2]);
const main = fs.readFileSync(dir + '/dist/thesis.typ', 'utf8');
const c = NodeCompiler.create({ workspace: dir, fontArgs: [{ fontPaths: fontDirectories() }] });
c.mapShadow(dir + '/templates/thesis.typ', fs.readFileSync('/work/main/templates/thesis.typ'));
const parts = main.split(/\n(?== )/);
const head = parts[0];
const chapters = parts.slice(1);
// last chapter contains references tail; fine
let m = head + '\n' + chapters.map((_, i) => `#include "/ch${i}.typ"`).join('\n') + '\n';
c.mapShadow(dir + '/m.typ', Buffer.from(m));
chapters.forEach((ch, i) => c.mapShadow(dir + `/ch${i}.typ`, Buffer.from(`#import "/templates/thesis.typ": references\n` + ch)));
const which = process.argv[3] === 'end' ? chapters.length - 1 : 0;
for (let i = 0; i < 6; i++) {
  if (i) c.mapShadow(dir + `/ch${which}.typ`, Buffer.from(`#import "/templates/thesis.typ": references\n` + chapters[which].replace('\n', `\nEdited word ${i}.\n`)));
  let t = performance.now();
  const r = c.compile({ mainFilePath: dir + '/m.typ' });
  if (!r.result) { r.printErrors(); process.exit(1); }
  const tc = performance.now() - t; t = performance.now();
  const pdf = c.pdf(r.result, { creationTimestamp: 0, pdfTags: false });
  console.log('compile', tc.toFixed(0), 'pdf', (performance.now()-t).toFixed(0), r.result.numOfPages);
}
