// The live preview (issue 24), in a real browser: `thesis preview` in a
// process of its own, its page opened by Chromium (from the npm package
// @sparticuz/chromium, driven by playwright-core; nothing downloaded, no
// system browser). The page shows the thesis's PDF with a text layer, a save
// shows the new word, a click names the paragraph's file and line, a save
// scrolls to the block it changed, a broken save shows the error over the
// last good pages, and the server answers nobody without the token.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../scripts/bench/browser.js';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, repoDir, write } from './helpers/project.js';

const dir = copyProject('minimal');
let child: ChildProcessWithoutNullStreams;
let output = '';
let url = '';
let browser: Browser;
let page: Page;

interface PreviewState {
  painted?: number;
  paintedFull?: number;
  version: number;
  drafted?: number;
  draftPages?: number[];
  draftTexts?: Record<string, string>;
  pages: number;
  lastOpen: { file: string; line: number } | null;
  revealed?: { file: string; line: number; page: number };
  failed?: string[] | null;
}

const previewState = () => page.evaluate(() => (window as unknown as { previewState: PreviewState }).previewState);

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeout = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${what}; the preview printed:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One page's text layer as drawn from the last full build (`version`) or from a draft (`'draft'`), scrolled into view. */
async function textOfPage(n: number, version: string): Promise<string> {
  await page.evaluate((number) => document.querySelector(`.page[data-page="${number}"]`)?.scrollIntoView(), n);
  const selector = `.page[data-page="${n}"] .textLayer[data-version="${version}"]`;
  await until(`page ${n} drawn (${version})`, () => page.evaluate((found) => document.querySelector(found) !== null, selector));
  return (await page.evaluate((found) => document.querySelector(found)!.textContent ?? '', selector)).replace(/\s+/g, ' ');
}

/** Every page's text layer, drawn from the last full build: each page is scrolled into view in turn. */
async function pageText(atLeast = 1): Promise<string> {
  await until('the full build painted', async () => {
    const state = await previewState();
    return (state.paintedFull ?? 0) >= atLeast && state.draftPages?.length === 0;
  });
  const { pages: count, version } = await previewState();
  const texts: string[] = [];
  for (let n = 1; n <= count; n++) texts.push(await textOfPage(n, String(version)));
  return texts.join(' ');
}

function post(address: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(address);
    const request = http.request({ method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end(body);
  });
}

function get(address: string, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(address);
    http.get({ hostname: target.hostname, port: target.port, path: target.pathname, headers: host ? { Host: host } : {} }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

beforeAll(async () => {
  // The whole thesis's build waits for the page to say it drew a draft: here up to a minute, so a page that
  // does not say so (or says it of another draft) leaves the tests that save waiting for their builds.
  child = spawn(process.execPath, [path.join(repoDir, 'compiled', 'scripts', 'cli.bundle.js'), 'preview', dir, '--no-open'], { cwd: dir, stdio: 'pipe', env: { ...process.env, NO_COLOR: '1', INIT_CWD: dir, THESIS_DRAW_WAIT_MS: '60000' } });
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  url = await until('the preview address', async () => /preview at (http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/)/.exec(output)?.[1]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

describe('thesis preview', () => {
  it('shows the thesis as its PDF with a text layer', async () => {
    await until('the first build painted', async () => ((await previewState()).painted ?? 0) >= 1);
    expect(await pageText()).toContain('Panopticism returns in new forms');
  }, 60_000);

  it('shows a saved word after the next build, and says it is behind meanwhile', async () => {
    const { painted: before = 0, version } = await previewState();
    const started = performance.now();
    fs.appendFileSync(path.join(dir, 'thesis', 'one.md'), '\nA zebrafinch appears in the text.\n');
    await until('the saved word painted', async () => ((await previewState()).painted ?? 0) > before);
    console.log(`preview: save to painted ${Math.round(performance.now() - started)} ms`);
    expect(await pageText(version + 1)).toContain('A zebrafinch appears in the text.');
  }, 60_000);

  it('shows a draft of the pages around an edit first, numbered as the whole thesis numbers them, and then the whole thesis', async () => {
    await until('a full build painted', async () => ((await previewState()).paintedFull ?? 0) >= 1);
    // The writer looks at the chapter being edited: its last page is in view when the draft comes.
    await page.evaluate(() => {
      const state = (window as unknown as { previewState: { blocks: { file: string; page: number }[] } }).previewState;
      const last = state.blocks.filter((block) => block.file === 'thesis/two.md').at(-1);
      if (last) document.querySelector(`.page[data-page="${last.page}"]`)?.scrollIntoView();
    });
    const before = await previewState();
    // The second chapter: its heading number and page number come from the counters the draft sets.
    fs.appendFileSync(path.join(dir, 'thesis', 'two.md'), '\nA hummingbird drafts the page.\n');
    // Polled: the full build may have replaced the draft already (on a short thesis it follows within milliseconds).
    await until('the draft painted', async () => ((await previewState()).drafted ?? 0) > before.version);
    // The draft's page with the new words, as the draft drew it (the page keeps what each draft page said: the
    // full build may replace it before a test could scroll to it), and then as the full build drew it: the same
    // text (page number and section numbers included), because a draft starts where a page starts and sets the counters.
    const [edited, draftText] = await until('the draft page with the new words', async () => Object.entries((await previewState()).draftTexts ?? {}).find(([, text]) => text.includes('A hummingbird drafts the page.')));
    await until('the full build painted', async () => ((await previewState()).paintedFull ?? 0) > before.version);
    const after = await previewState();
    expect(after.draftPages).toEqual([]);
    expect(await textOfPage(Number(edited), String(after.version))).toBe(draftText.replace(/\s+/g, ' '));
  }, 60_000);

  it('names the file and line of a clicked paragraph, in the page and in the terminal', async () => {
    await page.evaluate(() => document.querySelector('.page[data-page="3"]')?.scrollIntoView());
    const span = page.locator('.textLayer span', { hasText: 'Panopticism returns' }).first();
    await span.click();
    const open = await until('the clicked place', async () => (await previewState()).lastOpen);
    expect(open).toEqual({ file: 'thesis/one.md', line: 9 });
    await until('the place in the terminal', async () => output.includes('thesis/one.md:9'));
  }, 30_000);

  it('scrolls to the block a save changed', async () => {
    // The test before revealed a place in the same chapter: forgotten, so only this save's reveal counts.
    await page.evaluate(() => ((window as unknown as { previewState: PreviewState }).previewState.revealed = undefined));
    const text = fs.readFileSync(path.join(dir, 'thesis', 'two.md'), 'utf8');
    const lines = text.split('\n');
    let last = lines.length - 1;
    while (last > 0 && lines[last].trim() === '') last--;
    lines.splice(last + 1, 0, '', 'A closing remark on the second chapter.');
    fs.writeFileSync(path.join(dir, 'thesis', 'two.md'), lines.join('\n'));
    const revealed = await until('the reveal', async () => {
      const state = await previewState();
      return state.revealed?.file === 'thesis/two.md' ? state.revealed : null;
    });
    expect(revealed.line).toBe(last + 3);
    const shown = await page.evaluate((number) => {
      const box = document.querySelector(`.page[data-page="${number}"]`)!.getBoundingClientRect();
      return box.top < innerHeight && box.bottom > 0;
    }, revealed.page);
    expect(shown).toBe(true);
  }, 60_000);

  it('shows a failed build over the last good pages', async () => {
    const pages = (await previewState()).pages;
    write(dir, 'thesis/two.md', `${fs.readFileSync(path.join(dir, 'thesis', 'two.md'), 'utf8')}\n\`\`\`{=typst}\n#let broken = (\n\`\`\`\n`);
    const failed = await until('the failure shown', async () => (await previewState()).failed);
    expect(failed.join('\n')).toMatch(/two\.md:\d+:\d+: error/);
    expect((await previewState()).pages).toBe(pages);
    expect(await page.evaluate(() => document.body.classList.contains('failed'))).toBe(true);
  }, 60_000);

  it('goes both ways with the language server: the cursor scrolls the page, a click shows the line in the editor', async () => {
    // The failed build of the test before: a good one again, so the page has its blocks.
    write(dir, 'thesis/two.md', fs.readFileSync(path.join(dir, 'thesis', 'two.md'), 'utf8').replace(/```\{=typst\}\n#let broken = \(\n```\n/, ''));
    await until('a good build again', async () => !(await previewState()).failed);
    const server = spawn(process.execPath, [path.join(repoDir, 'compiled', 'scripts', 'cli.bundle.js'), 'lsp', '--stdio'], { cwd: dir, stdio: 'pipe' });
    const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const shown: { uri: string; selection?: { start: { line: number } } }[] = [];
    connection.onRequest('window/showDocument', (params: (typeof shown)[number]) => {
      shown.push(params);
      return { success: true };
    });
    connection.listen();
    try {
      await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: { window: { showDocument: { support: true } } } });
      await connection.sendNotification('initialized', {});
      const two = path.join(dir, 'thesis', 'two.md');
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(two).href, languageId: 'markdown', version: 1, text: fs.readFileSync(two, 'utf8') } });
      await page.evaluate(() => window.scrollTo(0, 0));
      const lines = fs.readFileSync(two, 'utf8').split('\n');
      const target = lines.findIndex((line) => line.includes('A closing remark'));
      await connection.sendNotification('thesis/cursor', { uri: pathToFileURL(two).href, line: target });
      const revealed = await until('the cursor revealed', async () => {
        const state = await previewState();
        return state.revealed?.file === 'thesis/two.md' && state.revealed.line <= target + 1 ? state.revealed : null;
      });
      expect(revealed.page).toBeGreaterThan(1);
      const span = page.locator('.textLayer span', { hasText: 'A closing remark' }).first();
      await span.click();
      const document = await until('the editor asked to show the line', async () => shown.at(-1));
      expect(document.uri).toBe(pathToFileURL(two).href);
      expect(document.selection?.start.line).toBe(target);
    } finally {
      connection.dispose();
      server.kill();
    }
  }, 60_000);

  it('answers nobody without the token or by another name, and stops on Ctrl-C with exit 0', async () => {
    const base = url.replace(/[\w-]+\/$/, '');
    expect(await get(`${base}nottoken/thesis.pdf`)).toBe(403);
    expect(await get(`${url}thesis.pdf`, 'attacker.example')).toBe(403);
    expect(await get(`${url}../package.json`)).toBe(403);
    expect(await get(`${url}thesis.pdf`)).toBe(200);
    // Where the reader stopped scrolling (a draft is made ready there): with the token only, a file and a line only.
    expect(await post(`${base}nottoken/viewing`, JSON.stringify({ file: 'thesis/one.md', line: 3 }))).toBe(403);
    expect(await post(`${url}viewing`, '{"file": 3}')).toBe(400);
    expect(await post(`${url}viewing`, JSON.stringify({ file: '../../etc/passwd', line: 1 }))).toBe(204);
    expect(await post(`${url}viewing`, JSON.stringify({ file: 'thesis/one.md', line: 3 }))).toBe(204);
    // A draft drawn (the page says so; the build held for it goes on): with the token only, a number only.
    expect(await post(`${base}nottoken/painted`, JSON.stringify({ version: 99 }))).toBe(403);
    expect(await post(`${url}painted`, '{"version": "all"}')).toBe(400);
    expect(await post(`${url}painted`, JSON.stringify({ version: 99 }))).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  }, 30_000);
});
