// One edit-to-PDF measurement run: start the watcher on a thesis, save a
// one-sentence edit to its first chapter again and again, and print the
// seconds from each save to the new PDF being in place, as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { ThesisWatcher, type WatchBuild } from '../watch/watcher.js';

const [dir, count] = process.argv.slice(2);
// Stamped when the watcher reports the build: the PDF is in place then (the
// progress report is written after it, and does not hold up the PDF).
const builds: (WatchBuild & { at: number })[] = [];
const watcher = new ThesisWatcher(path.resolve(dir), {}, (build) => builds.push({ ...build, at: performance.now() }));
await watcher.start();
const chapter = path.join(dir, 'thesis', fs.readdirSync(path.join(dir, 'thesis')).filter((f) => f.endsWith('.md')).sort()[0]);
const times: number[] = [];
for (let i = 0; i < Number(count); i++) {
  const before = builds.length;
  const text = fs.readFileSync(chapter, 'utf8');
  const saved = performance.now();
  fs.writeFileSync(chapter, text.replace(/(\n# [^\n]+\n)/, `$1\nEdited word${i}.\n`));
  while (builds.length === before) await new Promise((resolve) => setTimeout(resolve, 1));
  const build = builds[builds.length - 1];
  if (!build.result.ok) throw new Error('watch build failed');
  times.push((build.at - saved) / 1000);
  // Let the progress report that follows each build finish before the next save.
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await watcher.close();
process.stdout.write(JSON.stringify(times));
