import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { fontDirectories } from '/work/main/compiled/scripts/compile/fonts.js';
import path from 'node:path'; import fs from 'node:fs';
const dir = path.resolve(process.argv[2]);
const main = fs.readFileSync(dir + '/dist/thesis.typ', 'utf8');
const c = NodeCompiler.create({ workspace: dir, fontArgs: [{ fontPaths: fontDirectories() }] });
c.mapShadow(dir + '/templates/thesis.typ', fs.readFileSync('/work/main/templates/thesis.typ'));
const where = process.argv[3] === 'end' ? main.lastIndexOf('\n= ') : main.indexOf('\n= ');
for (let i = 0; i < 6; i++) {
  const text = i === 0 ? main : main.slice(0, where) + `\nEdited word ${i}.\n` + main.slice(where);
  c.mapShadow(dir + '/m.typ', Buffer.from(text));
  let t = performance.now();
  const r = c.compile({ mainFilePath: dir + '/m.typ' });
  const tc = performance.now() - t; t = performance.now();
  const pdf = c.pdf(r.result, { creationTimestamp: 0, pdfTags: false });
  console.log('compile', tc.toFixed(0), 'pdf', (performance.now()-t).toFixed(0), r.result.numOfPages);
}
