// How the user runs the toolchain, so that a hint names a command they can
// type: `npm run build -- --to docx` where npm runs our scripts (this
// repository, or a thesis repository whose package.json has them),
// `npx thesis build --to docx` where the toolchain is a dependency run
// through npx or a script we do not have, `thesis build` otherwise. Set once
// per command line (commands/program.ts) from npm's environment.
import fs from 'node:fs';

type Form = { kind: 'npm-run'; scripts: ReadonlySet<string> } | { kind: 'npx' } | { kind: 'direct' };

let form: Form = { kind: 'direct' };

/** Reads how this command line was started from npm's variables (`npm_command`, `npm_package_json`). */
export function setInvocation(env: Record<string, string | undefined>): void {
  if (env.npm_command === 'run-script' || env.npm_command === 'run') {
    let scripts: string[] = [];
    try {
      scripts = Object.keys((JSON.parse(fs.readFileSync(env.npm_package_json ?? '', 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {});
    } catch {
      // No package.json to read: hints use npx.
    }
    form = { kind: 'npm-run', scripts: new Set(scripts) };
  } else if (env.npm_command === 'exec') form = { kind: 'npx' };
  else form = { kind: 'direct' };
}

/** The command line for `command` with `args`, as the user runs the toolchain: `npm run build -- --to docx`. */
export function commandHint(command: string, args = ''): string {
  const rest = args.trim();
  if (form.kind === 'npm-run' && form.scripts.has(command)) return `npm run ${command}${rest ? ` -- ${rest}` : ''}`;
  return `${form.kind === 'direct' ? 'thesis' : 'npx thesis'} ${command}${rest ? ` ${rest}` : ''}`;
}
