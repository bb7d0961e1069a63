// What Typst alone costs on a generated thesis, in a fresh process: the
// Typst file a build wrote (`build --typst`) compiled and exported by our
// compiler wrapper with nothing else running, cold, then again after each
// one-line edit. This is the floor under every build and every watch
// rebuild; the bench prints it beside our figures. Prints JSON; peak memory
// is taken after the cold compile (the edits add Typst's memoised layouts).
import fs from 'node:fs';
import path from 'node:path';
import { TypstCompiler } from '../compile/typst-compiler.js';
import { toolchainDir } from '../core/toolchain-dir.js';

const [dir, count] = process.argv.slice(2);
const projectDir = path.resolve(dir);
const main = fs.readFileSync(path.join(projectDir, 'dist', 'thesis.typ'), 'utf8');
const templateFile = path.join(projectDir, 'templates', 'thesis.typ');
const template = fs.readFileSync(fs.existsSync(templateFile) ? templateFile : path.join(toolchainDir, 'templates', 'thesis.typ'), 'utf8');
const compiler = new TypstCompiler(projectDir);
// The thesis's figures, handed to Typst as a build hands them.
const thesisFiles = (fs.readdirSync(path.join(projectDir, 'thesis'), { recursive: true }) as string[]).map((name) => path.join(projectDir, 'thesis', name));
const compile = (text: string, tagged: boolean) => {
  const started = performance.now();
  const output = compiler.compile({ mainPath: path.join(projectDir, '.thesis-main.typ'), main: text, shadows: new Map([[templateFile, template]]), files: thesisFiles, sourceMap: [], tagged, creationTimestamp: 0 });
  if (!output.pdf) throw new Error(output.diagnostics.map((d) => d.message).join('\n'));
  const seconds = (performance.now() - started) / 1000;
  compiler.evictStale(); // as watch does, after the PDF is out
  return seconds;
};
const cold = compile(main, true);
const coldMaxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const firstChapter = main.indexOf('\n= ');
const edits: number[] = [];
for (let i = 0; i < Number(count); i++) {
  // The same edit the watch measurement makes (a sentence after the first
  // chapter heading), after the same pause: on this machine an idle pause
  // alone makes the next compile slower, so a floor without it would flatter.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const lineEnd = main.indexOf('\n', firstChapter + 1);
  edits.push(compile(`${main.slice(0, lineEnd)}\n\nEdited word${i}.\n${main.slice(lineEnd)}`, false));
}
process.stdout.write(JSON.stringify({ cold, edits, maxRssMb: coldMaxRssMb, maxRssMbAfterEdits: Math.round(process.resourceUsage().maxRSS / 1024) }));
