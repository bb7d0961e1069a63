// The toolchain as a dependency of a student's own repository (issue 21):
// `npm pack` makes the tarball a git URL or the registry would give,
// `npm ci` installs it into a fresh folder outside this repository, and
// there `thesis init --here` starts a thesis that `npm run build` and
// `npx thesis check` work on with no folder named; the CI workflow init
// writes runs its commands locally.
//
// No network in the tests: the student's lock file is the toolchain's own
// for the packages a dependency needs (what `npm install` of the tarball
// resolves to), so `npm ci --offline` takes every package from npm's cache,
// which this repository's own `npm ci` filled.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoDir, removeTempDirs, tempDir } from './helpers/project.js';

afterAll(removeTempDirs);

interface LockPackage {
  dev?: boolean;
  devOptional?: boolean;
  [field: string]: unknown;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env }, timeout: 240_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', output: `${result.stdout}\n${result.stderr}` };
}

/** The student's package-lock.json: the tarball, and the toolchain's locked packages that are not only for its own development. */
function studentLock(tarball: string, manifest: { version: string; dependencies: Record<string, string>; bin: Record<string, string>; engines?: unknown }): object {
  const own = JSON.parse(fs.readFileSync(path.join(repoDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
  const packages: Record<string, unknown> = {
    '': { name: 'my-thesis', version: '1.0.0', dependencies: { 'thesis-toolchain': `file:${path.basename(tarball)}` } },
    'node_modules/thesis-toolchain': {
      version: manifest.version,
      resolved: `file:${path.basename(tarball)}`,
      integrity: `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      ...(manifest.engines ? { engines: manifest.engines } : {}),
    },
  };
  for (const [where, entry] of Object.entries(own.packages)) {
    if (where === '' || entry.dev || entry.devOptional || !where.startsWith('node_modules/')) continue;
    // The registry's address of the tarball, as npm writes it: with it and the integrity, npm takes the tarball from its cache by its hash.
    const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages[where] = { resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${String(entry.version)}.tgz`, ...entry };
  }
  return { name: 'my-thesis', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

describe('the toolchain as a dependency of a thesis repository', () => {
  it('packs, installs offline into a fresh folder, starts a thesis there with init --here, and builds and checks it with no folder named', () => {
    const work = tempDir('student-');
    const packed = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], repoDir);
    expect(packed.status, packed.output).toBe(0);
    const tarball = path.join(work, packed.stdout.trim().split('\n').pop()!);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoDir, 'package.json'), 'utf8'));
    // The tarball holds what the installed toolchain runs, and not its development files.
    const listing = run('tar', ['-tzf', tarball], work).stdout.split('\n');
    expect(listing).toEqual(expect.arrayContaining(['package/compiled/scripts/cli.bundle.js', 'package/templates/thesis.typ', 'package/styles/index.json', 'package/locales/locales-en-US.xml']));
    expect(listing.filter((file) => /^package\/(tests|scripts|bench|thesis|patches)\//.test(file))).toEqual([]);

    const app = path.join(work, 'my-thesis');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'my-thesis', version: '1.0.0', private: true, dependencies: { 'thesis-toolchain': `file:${path.basename(tarball)}` } }, null, 2)}\n`);
    fs.copyFileSync(tarball, path.join(app, path.basename(tarball)));
    fs.writeFileSync(path.join(app, 'package-lock.json'), `${JSON.stringify(studentLock(tarball, manifest), null, 2)}\n`);
    fs.writeFileSync(path.join(app, 'README.md'), '# My thesis\n');
    const installed = run('npm', ['ci', '--offline'], app);
    expect(installed.status, installed.output).toBe(0);

    const init = run('npx', ['--offline', 'thesis', 'init', '--here', '--lang', 'de-AT'], app);
    expect(init.status, init.output).toBe(0);
    expect(init.stdout).toContain('a new thesis in .: thesis/thesis.yaml, thesis/01-introduction.md, bibliography/references.bib, .gitignore, .github/workflows/thesis.yml, package.json (scripts build, watch, check, refs)');
    expect(init.stdout).toContain('build it with: npx thesis build');
    expect(fs.readFileSync(path.join(app, '.gitignore'), 'utf8')).toMatch(/^dist\/$/m);
    expect(fs.readFileSync(path.join(app, 'README.md'), 'utf8')).toBe('# My thesis\n');

    // From a subfolder, no folder named: npm runs the script at the package root and says where the user was.
    fs.mkdirSync(path.join(app, 'notes'));
    const built = run('npm', ['run', 'build', '--silent'], path.join(app, 'notes'));
    expect(built.status, built.output).toBe(0);
    expect(built.stdout).toMatch(/^\.\.\/dist\/thesis\.pdf: \d+ pages?, /m);
    expect(fs.statSync(path.join(app, 'dist', 'thesis.pdf')).size).toBeGreaterThan(10_000);

    const checked = run('npx', ['--offline', 'thesis', 'check'], app);
    expect(checked.status, checked.output).toBe(0);
    expect(checked.stdout).toMatch(/ready to submit: 0 errors/);

    // The workflow's commands, run here as GitHub would run them (offline: no registry in the tests).
    const steps = (parse(fs.readFileSync(path.join(app, '.github', 'workflows', 'thesis.yml'), 'utf8')) as { jobs: { build: { steps: { run?: string }[] } } }).jobs.build.steps.flatMap((step) => (step.run ? [step.run] : []));
    expect(steps).toEqual(['npm ci', 'npm run build', 'npm run check']);
    // `npm ci` ran above (offline, as here it must): the workflow's other steps run as the workflow runs them.
    for (const step of steps.slice(1)) {
      const [command, ...args] = step.split(' ');
      const result = run(command, args, app);
      expect(result.status, `${step}\n${result.output}`).toBe(0);
    }
    // Where the student keeps things: a Zotero export outside the repository, a university's layout, a style by name, a DOI.
    const zotero = path.join(work, 'Zotero');
    fs.mkdirSync(zotero);
    fs.writeFileSync(path.join(zotero, 'My Library.bib'), '@comment{Better BibTeX}\n\n@book{Foucault_1977,\n  title = {Discipline and Punish},\n  author = {Foucault, Michel},\n  date = {1977},\n  publisher = {Pantheon Books},\n}\n');
    const yaml = path.join(app, 'thesis', 'thesis.yaml');
    fs.writeFileSync(
      yaml,
      fs.readFileSync(yaml, 'utf8').replace(/^bibliography: .*$/m, `bibliography: [bibliography/references.bib, ${JSON.stringify(path.join(zotero, 'My Library.bib'))}]`).replace(/^csl: .*$/m, 'csl: chicago-author-date').replace(/^institution: .*\n/m, '') +
        'fontsize: 12pt\nlinestretch: 1.5\ninstitute: Universität Wien\n',
    );
    fs.appendFileSync(path.join(app, 'thesis', '01-introduction.md'), '\nAs @Foucault_1977 argued.\n');
    const refused = run('npx', ['--offline', 'thesis', 'build'], app);
    expect(refused.status, refused.output).toBe(1);
    expect(refused.stderr).toMatch(/thesis\/thesis\.yaml:\d+:\d+: error: bibliography ".*My Library\.bib" is outside the thesis folder/);
    const allowed = run('npx', ['--offline', 'thesis', 'build', '--allow', zotero], app);
    expect(allowed.status, allowed.output).toBe(0);
    expect(allowed.stderr).toBe('');
    const checkedLater = run('npx', ['--offline', 'thesis', 'check', '--allow', zotero], app);
    expect(checkedLater.status, checkedLater.output).toBe(0);

  }, 300_000);
});
