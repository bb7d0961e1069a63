// Runs in every test file: the temporary thesis folders a file made are
// removed when it ends, so a test run leaves nothing behind in /tmp.
import { afterAll } from 'vitest';
import { removeTempDirs } from './project.js';

afterAll(() => removeTempDirs());
