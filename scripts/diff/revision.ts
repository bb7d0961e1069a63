// The thesis as it was at an earlier git revision (a tag, a commit,
// `HEAD~3`; by default the last tag): its chapters' texts, read with git
// from the repository the thesis folder is in, never written to disk.
import { commandHint } from '../core/invocation.js';
import { untrustedGit } from '../core/untrusted-git.js';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { closest } from '../core/suggest.js';

export interface OldChapter {
  /** Its name in thesis.yaml then (relative to thesis/). */
  name: string;
  text: string;
  appendix?: boolean;
}

export interface OldThesis {
  /** Chapters git saw renamed since (old name -> new name, relative to thesis/). */
  renamed: Map<string, string>;
  /** The revision as the user named it, and the commit it is. */
  label: string;
  commit: string;
  /** The commit's date, YYYY-MM-DD. */
  date: string;
  chapters: OldChapter[];
}

/** git on the thesis's repository, which may be someone else's (core/untrusted-git.ts). */
function git(cwd: string, args: string[]): { ok: boolean; stdout: string; error?: string } {
  const result = untrustedGit(cwd, args);
  return { ok: result.ok, stdout: result.stdout.toString('utf8'), error: result.error?.split('\n')[0] };
}

export function readRevision(projectDir: string, revision: string | undefined): { old: OldThesis | null; diagnostics: Diagnostic[] } {
  const fail = (message: string, extra: Partial<Diagnostic> = {}) => ({ old: null, diagnostics: [diagnostic('diff-revision', message, {}, { fatal: true, ...extra })] });
  const top = git(projectDir, ['rev-parse', '--show-toplevel']);
  if (!top.ok) return fail(top.error === 'git is not installed' ? 'git is not installed, and the earlier text comes from git' : 'the thesis folder is not in a git repository: commit the thesis (or tag a version) to compare with it');
  const root = top.stdout.trim();
  let label = revision;
  if (!label) {
    const tag = git(projectDir, ['describe', '--tags', '--abbrev=0']);
    if (!tag.ok) return fail(`the repository has no tag to compare with; name a revision: ${commandHint('diff', 'HEAD~3')} (or tag a version: git tag draft-1)`);
    label = tag.stdout.trim();
  }
  if (label.startsWith('-')) return fail(`"${label}" is not a revision`);
  const resolved = git(projectDir, ['rev-parse', '--verify', '--quiet', `${label}^{commit}`]);
  if (!resolved.ok) {
    const tags = git(projectDir, ['tag', '--list']).stdout.split('\n').filter(Boolean);
    const near = closest(label, tags);
    return fail(`there is no revision "${label}" in this repository${tags.length ? `; its tags: ${tags.slice(-5).join(', ')}` : ''}`, near.length ? { actual: label, expected: near } : {});
  }
  const commit = resolved.stdout.trim();
  const date = git(projectDir, ['log', '-1', '--format=%cI', commit]).stdout.trim().slice(0, 10);
  const prefix = path.relative(root, path.resolve(projectDir)).split(path.sep).filter(Boolean).join('/');
  const at = (file: string) => `${commit}:${prefix ? `${prefix}/` : ''}${file}`;
  const show = (file: string) => {
    const shown = git(projectDir, ['show', at(file)]);
    return shown.ok ? shown.stdout : null;
  };

  // The chapters thesis.yaml listed then; without it, thesis/*.md as they were.
  let names: { name: string; appendix?: boolean }[] = [];
  const config = show('thesis/thesis.yaml');
  if (config !== null) {
    try {
      const parsed = parseYaml(config) as { chapters?: unknown; appendices?: unknown } | null;
      const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
      names = [...list(parsed?.chapters).map((name) => ({ name })), ...list(parsed?.appendices).map((name) => ({ name, appendix: true }))];
    } catch {
      // An unreadable thesis.yaml then: its chapters are found by listing.
    }
  }
  if (names.length === 0) {
    const listed = git(projectDir, ['ls-tree', '--name-only', commit, `${prefix ? `${prefix}/` : ''}thesis/`]);
    names = listed.stdout.split('\n').filter((file) => file.endsWith('.md')).map((file) => ({ name: path.posix.basename(file) })).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }
  const chapters: OldChapter[] = [];
  for (const { name, appendix } of names) {
    const text = show(`thesis/${name}`);
    if (text !== null) chapters.push({ name, text, ...(appendix ? { appendix } : {}) });
  }
  // Renames git recognises between the revision and the working tree (`git mv`, or a move once added).
  const renamed = new Map<string, string>();
  const thesisPath = `${prefix ? `${prefix}/` : ''}thesis/`;
  const status = git(projectDir, ['diff', '--name-status', '-M', commit, '--', thesisPath]);
  for (const line of status.stdout.split('\n')) {
    const [kind, from, to] = line.split('\t');
    if (kind?.startsWith('R') && from && to) renamed.set(from.slice(thesisPath.length), to.slice(thesisPath.length));
  }
  return { old: { label, commit, date, chapters, renamed }, diagnostics: [] };
}
