// The VS Code extension (editors/vscode, issue 22): it bundles with esbuild
// from the toolchain's packages, and it starts the server a student's thesis
// repository installed. VS Code itself is not on this machine; the server the
// extension starts is tested as an editor drives it in lsp.test.ts.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serverCommand } from '../editors/vscode/src/server-command.js';
import { repoDir } from './helpers/project.js';

describe('the VS Code extension', () => {
  it('bundles into one file that leaves only vscode to the editor', () => {
    const result = spawnSync(process.execPath, [path.join(repoDir, 'editors', 'vscode', 'build.mjs')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const bundle = fs.readFileSync(path.join(repoDir, 'editors', 'vscode', 'dist', 'extension.js'), 'utf8');
    const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]).filter((name) => !name.startsWith('node:')));
    // Node's own modules and the editor's API; vscode-languageclient is inside.
    expect([...required].filter((name) => !builtinModules.includes(name))).toEqual(['vscode']);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoDir, 'editors', 'vscode', 'package.json'), 'utf8')) as { main: string; engines: { vscode: string } };
    expect(manifest.main).toBe('./dist/extension.js');
    // The client's own engine requirement.
    const client = JSON.parse(fs.readFileSync(path.join(repoDir, 'node_modules', 'vscode-languageclient', 'package.json'), 'utf8')) as { engines: { vscode: string } };
    expect(manifest.engines.vscode).toBe(client.engines.vscode);
  }, 60_000);

  it('starts the toolchain the thesis folder installed, from any folder below it; the setting wins; else thesis on the PATH', () => {
    const installed = '/home/s/mythesis/node_modules/thesis-toolchain/compiled/scripts/cli.bundle.js';
    const exists = (file: string) => file === installed;
    expect(serverCommand('/home/s/mythesis', [], exists, '/usr/bin/node')).toEqual({ command: '/usr/bin/node', args: [installed, 'lsp', '--stdio'] });
    expect(serverCommand('/home/s/mythesis/thesis', [], exists, '/usr/bin/node')).toEqual({ command: '/usr/bin/node', args: [installed, 'lsp', '--stdio'] });
    expect(serverCommand('/home/s/mythesis', ['node', '/opt/thesis/cli.bundle.js', 'lsp'], exists, '/usr/bin/node')).toEqual({ command: 'node', args: ['/opt/thesis/cli.bundle.js', 'lsp'] });
    expect(serverCommand('/home/s/other', [], exists, '/usr/bin/node').args).toEqual(['lsp', '--stdio']);
    // The toolchain's own repository: its bundle.
    expect(serverCommand(repoDir, [], (file) => fs.existsSync(file), '/usr/bin/node').args[0]).toBe(path.join(repoDir, 'compiled', 'scripts', 'cli.bundle.js'));
  });
});
