// The live preview's page: the thesis's own PDF drawn by pdf.js, with a text
// layer (a browser finds and copies words), pages drawn as they come into
// view, and kept in place across builds; a failed build's errors shown over
// the last good pages; a badge while a save waits for its build. A click
// names the block's file and line (the server passes it on to the editor);
// a reveal from the editor scrolls to a block.
import { escapeHtml } from '../core/html.js';

export function previewPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} — preview</title>
<style>
  :root { color-scheme: light dark; }
  body { margin: 0; background: #6b6b6b; font: 14px system-ui, sans-serif; }
  #status { position: fixed; top: 0; left: 0; right: 0; z-index: 3; padding: 4px 10px; background: #222; color: #eee; display: flex; gap: 1em; }
  #status .behind { color: #fc6; display: none; }
  body.behind #status .behind { display: inline; }
  #errors { position: fixed; top: 28px; left: 10%; right: 10%; z-index: 2; background: #fff3f3; color: #900; border: 2px solid #c00; padding: 8px 12px; white-space: pre-wrap; font: 13px ui-monospace, monospace; display: none; max-height: 40vh; overflow: auto; }
  body.failed #errors { display: block; }
  #pages { padding: 36px 0 24px; }
  .page { position: relative; margin: 12px auto; background: #fff; box-shadow: 0 1px 4px #0006; }
  .page canvas { position: absolute; inset: 0; width: 100%; height: 100%; }
  .textLayer { position: absolute; inset: 0; overflow: hidden; line-height: 1; opacity: 0.25; }
  .textLayer span, .textLayer br { color: transparent; position: absolute; white-space: pre; cursor: text; transform-origin: 0% 0%; }
  .textLayer ::selection { background: #36f; }
  .flash { position: absolute; left: 0; right: 0; height: 2em; background: #fd04; pointer-events: none; transition: opacity 1s; }
</style>
</head>
<body>
<div id="status"><span id="state">loading…</span><span class="behind">behind a save: building…</span><span id="place"></span></div>
<div id="errors"></div>
<div id="pages"></div>
<script type="module">
const state = { version: 0, pages: 0, blocks: [], lastOpen: null, drawn: 0 };
window.previewState = state;
// pdf.js from this server (the page's own address holds the token).
const pdfjs = await import(new URL('pdf.mjs', location.href).href);
pdfjs.GlobalWorkerOptions.workerSrc = new URL('pdf.worker.mjs', location.href).href;
const SCALE = 1.5;
const pagesEl = document.getElementById('pages');
let documentPdf = null;
let observer = null;

function pageEl(n) { return pagesEl.children[n - 1]; }

async function draw(div) {
  const n = Number(div.dataset.page);
  if (!documentPdf || div.dataset.drawn === String(state.version)) return;
  div.dataset.drawn = String(state.version);
  const page = await documentPdf.getPage(n);
  const viewport = page.getViewport({ scale: SCALE });
  // A page of another size than the first (a landscape table) gets its own size when drawn.
  div.style.width = viewport.width + 'px';
  div.style.height = viewport.height + 'px';
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * devicePixelRatio);
  canvas.height = Math.floor(viewport.height * devicePixelRatio);
  await page.render({ canvasContext: canvas.getContext('2d'), viewport, transform: devicePixelRatio !== 1 ? [devicePixelRatio, 0, 0, devicePixelRatio, 0, 0] : undefined }).promise;
  // Swapped in whole: the old drawing stays until the new one is ready, so nothing flickers. The text
  // layer (for finding and copying words) follows the picture, which is what the reader waits for.
  div.replaceChildren(canvas);
  state.drawn++;
  const text = document.createElement('div');
  text.className = 'textLayer';
  text.dataset.version = String(state.version);
  text.style.setProperty('--scale-factor', String(SCALE));
  new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render().then(() => {
    if (div.dataset.drawn === String(state.version) && div.firstChild === canvas) div.append(text);
  });
}

async function load(version) {
  const started = performance.now();
  const loaded = await pdfjs.getDocument({ url: './thesis.pdf?v=' + version }).promise;
  const fetched = performance.now();
  // Where the reader is, kept: the page at the top of the window and how far into it.
  const top = [...pagesEl.children].find((div) => div.getBoundingClientRect().bottom > 40);
  const anchor = top ? { page: Number(top.dataset.page), offset: 40 - top.getBoundingClientRect().top } : null;
  const old = documentPdf;
  documentPdf = loaded;
  state.version = version;
  state.pages = loaded.numPages;
  while (pagesEl.children.length > loaded.numPages) pagesEl.lastChild.remove();
  // Every page is laid out at the first page's size (asking each page of a 400-page thesis costs
  // a round trip to pdf.js's worker apiece); a page of another size is corrected when it is drawn.
  const first = (await loaded.getPage(1)).getViewport({ scale: SCALE });
  for (let n = 1; n <= loaded.numPages; n++) {
    let div = pageEl(n);
    if (!div) {
      div = document.createElement('div');
      div.className = 'page';
      div.dataset.page = String(n);
      div.style.width = first.width + 'px';
      div.style.height = first.height + 'px';
      pagesEl.append(div);
      observer.observe(div);
    }
  }
  if (anchor && pageEl(anchor.page)) window.scrollTo(0, pageEl(anchor.page).offsetTop + anchor.offset - 40);
  // The pages in view are drawn again now; the others when they come into view.
  for (const div of pagesEl.children) {
    const box = div.getBoundingClientRect();
    if (box.bottom > 0 && box.top < innerHeight) await draw(div);
  }
  if (old) old.destroy();
  // Where the time goes between the build and the painted pages (the bench reads it).
  state.timings = { loadMs: fetched - started, drawMs: performance.now() - fetched };
}

/**
 * The block a point on a page belongs to: the last block that starts at or above it. A heading's
 * marker stands just below the heading, so a point above a heading's marker on its page is the heading.
 */
function blockAt(page, y) {
  let found = null;
  for (const block of state.blocks) {
    if (block.page < page || (block.page === page && block.y <= y + 2)) found = block;
    else {
      if (block.heading && block.page === page && (!found || found.page < page)) found = block;
      break;
    }
  }
  return found;
}

pagesEl.addEventListener('click', (event) => {
  const div = event.target.closest('.page');
  if (!div || getSelection().toString()) return;
  const y = (event.clientY - div.getBoundingClientRect().top) / SCALE;
  const block = blockAt(Number(div.dataset.page), y);
  if (!block) return;
  state.lastOpen = { file: block.file, line: block.line };
  document.getElementById('place').textContent = block.file + ':' + block.line;
  fetch('./open', { method: 'POST', body: JSON.stringify({ file: block.file, line: block.line }) });
});

function reveal(file, line) {
  let found = null;
  for (const block of state.blocks) if (block.file === file && block.line <= line && (!found || block.line >= found.line)) found = block;
  if (!found) return;
  const div = pageEl(found.page);
  if (!div) return;
  // A heading's marker is below the heading: show the heading too.
  window.scrollTo({ top: div.offsetTop + found.y * SCALE - (found.heading ? 160 : 80) });
  const flash = document.createElement('div');
  flash.className = 'flash';
  flash.style.top = found.y * SCALE + 'px';
  div.append(flash);
  setTimeout(() => { flash.style.opacity = '0'; setTimeout(() => flash.remove(), 1000); }, 600);
  state.revealed = { file, line, page: found.page };
}

observer = new IntersectionObserver((entries) => { for (const entry of entries) if (entry.isIntersecting) draw(entry.target); }, { rootMargin: '600px 0px' });

let queue = Promise.resolve();
const events = new EventSource('./events');
events.onmessage = (message) => {
  const event = JSON.parse(message.data);
  queue = queue.then(async () => {
    if (event.type === 'behind') document.body.classList.add('behind');
    if (event.type === 'reveal') reveal(event.file, event.line);
    if (event.type === 'failed') {
      document.body.classList.remove('behind');
      document.body.classList.add('failed');
      document.getElementById('errors').textContent = event.errors.join('\\n');
      document.getElementById('state').textContent = 'the last build failed; the pages are the last good ones';
      state.failed = event.errors;
    }
    if (event.type === 'built') {
      state.blocks = event.blocks;
      await load(event.version);
      document.body.classList.remove('behind', 'failed');
      state.failed = null;
      document.getElementById('state').textContent = event.pages + ' pages, build ' + event.version + (event.errors.length ? ', ' + event.errors.length + ' warnings' : '');
      state.painted = event.version;
    }
  }).catch((error) => { document.getElementById('state').textContent = 'cannot show the PDF: ' + error.message; });
};
</script>
</body>
</html>
`;
}
