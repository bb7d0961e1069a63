// git on a repository someone else wrote (issue 23, part 5): a thesis
// delivered with its .git/, whose configuration names programs for git to
// run — core.fsmonitor, a clean filter chosen by .gitattributes, an external
// diff, a text conversion, a pager, hooks — has none of them run by `diff`
// or by the history in `progress`, and both still work.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { untrustedGit } from '../scripts/core/untrusted-git.js';
import { runCli } from './helpers/cli.js';
import { chapter, gitRepo, words } from './helpers/git-fixture.js';
import { write } from './helpers/project.js';

describe('git on a repository from someone else', () => {
  it('runs none of the programs the repository configures, and diff and progress still work', async () => {
    const dir = gitRepo('minimal', [
      { date: '2026-10-01', files: { 'thesis/one.md': chapter('One', 'draft', 100, words(40)) } },
      { date: '2026-10-08', files: { 'thesis/one.md': chapter('One', 'draft', 100, words(60)) } },
    ]);
    execFileSync('git', ['tag', 'draft-1', 'HEAD~1'], { cwd: dir });
    const marker = path.join(dir, 'PWNED');
    const run = (what: string) => `sh -c 'echo ${what} >> ${marker}; cat'`;
    // Every way the repository's own configuration can name a program.
    fs.appendFileSync(
      path.join(dir, '.git', 'config'),
      [
        '[core]',
        `\tfsmonitor = ${run('fsmonitor')}`,
        `\tpager = ${run('pager')}`,
        `\thooksPath = hooks-here`,
        '[filter "evil"]',
        `\tclean = ${run('clean')}`,
        `\tsmudge = ${run('smudge')}`,
        '[diff "evil"]',
        `\ttextconv = ${run('textconv')}`,
        `\tcommand = ${run('diffcommand')}`,
        '[diff]',
        `\texternal = ${run('external')}`,
        '[log]',
        '\tshowSignature = true',
        '[gpg]',
        `\tprogram = ${run('gpg')}`,
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(dir, 'hooks-here'));
    for (const hook of ['post-index-change', 'post-checkout', 'reference-transaction']) {
      fs.writeFileSync(path.join(dir, 'hooks-here', hook), `#!/bin/sh\necho hook >> ${marker}\n`, { mode: 0o755 });
    }
    write(dir, '.gitattributes', '* filter=evil diff=evil\n');
    // A working tree that differs from the commit, so diff must look at it.
    write(dir, 'thesis/one.md', chapter('One', 'draft', 100, words(80)));

    const diff = await runCli(['diff', 'draft-1', '--project', dir]);
    expect(diff.stderr).not.toMatch(/internal error/);
    expect(diff.status).toBe(0);
    const progress = await runCli(['progress', dir, '--today', '2026-10-20']);
    expect(progress.status).toBe(0);
    const log = untrustedGit(dir, ['log', '-p', '--format=%H']);
    expect(log.ok).toBe(true);
    const status = untrustedGit(dir, ['diff', '--stat', 'HEAD']);
    expect(status.ok).toBe(true);
    expect(fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '').toBe('');
  }, 120_000);

  it('answers for a folder in no repository as git does', () => {
    const result = untrustedGit(fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'no-repo-')), ['rev-parse', '--show-toplevel']);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/not a git repository/);
  });
});
