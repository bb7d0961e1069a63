// The house, checked from its imports: every arrow points down the pipeline
// (a stage imports only from stages before it and from core/), and no
// module imports itself through others. A new construct, output or check
// that breaks this fails here, with the import that does.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoDir } from './helpers/project.js';

const scriptsDir = path.join(repoDir, 'scripts');

/** The floors, bottom up; a module may import from its own floor's folder and from the floors below. */
const floors: string[][] = [
  ['core', 'types'],
  ['read'],
  ['parse'],
  ['resolve'],
  ['format'],
  ['render'],
  ['compile'],
  ['write', 'export'],
  ['pipeline.ts'],
  ['report', 'refs', 'review', 'diff'],
  ['watch', 'lsp', 'preview'],
  ['commands'],
  ['cli.ts', 'bundle.ts'],
  ['bench', 'maintenance'],
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The module's folder under scripts/ (or its file name, for top-level files). */
function room(file: string): string {
  return path.relative(scriptsDir, file).split(path.sep)[0];
}

function floorOf(file: string): number {
  const index = floors.findIndex((rooms) => rooms.includes(room(file)));
  if (index < 0) throw new Error(`${path.relative(repoDir, file)} is in no floor of tests/architecture.test.ts: add its folder there`);
  return index;
}

/** Relative imports (static and dynamic, type-only included: a type is a dependency too). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    found.push(path.resolve(path.dirname(file), match[1].replace(/\.js$/, '.ts')));
  }
  return found;
}

const files = sourceFiles(scriptsDir);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('the structure of scripts/', () => {
  it('has every import pointing down the pipeline, never back up', () => {
    const backwards: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        if (room(target) === room(file)) continue;
        if (floorOf(target) > floorOf(file)) backwards.push(`${path.relative(scriptsDir, file)} -> ${path.relative(scriptsDir, target)}`);
      }
    }
    expect(backwards).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(scriptsDir, f)).join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('resolves every relative import to a file', () => {
    const missing = [...graph].flatMap(([file, imports]) => imports.filter((target) => !fs.existsSync(target)).map((target) => `${path.relative(scriptsDir, file)} -> ${path.relative(scriptsDir, target)}`));
    expect(missing).toEqual([]);
  });
});
