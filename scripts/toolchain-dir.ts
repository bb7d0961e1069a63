// Where the toolchain lives (the repository root), whether running from
// compiled/ or from the TypeScript sources under vitest.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const toolchainDir = path.resolve(here, here.includes(`${path.sep}compiled${path.sep}`) || here.endsWith(`${path.sep}compiled${path.sep}scripts`) ? '../..' : '..');
