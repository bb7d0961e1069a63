// The live preview's page: the thesis's own PDF drawn by pdf.js, with a text
// layer (a browser finds and copies words), pages drawn as they come into
// view, and kept in place across builds; a failed build's errors shown over
// the last good pages; a badge while a save waits for its build. A click
// names the block's file and line (the server passes it on to the editor);
// a reveal from the editor scrolls to a block. After a save, a draft of the
// pages around the edit (preview/draft.ts) stands in for them until the
// whole thesis is built; the full build's pages then replace it.
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
  #status .drafted { color: #9cf; display: none; }
  body.drafted #status .drafted { display: inline; }
  body.drafted .page.draft { box-shadow: 0 0 0 2px #9cf, 0 1px 4px #0006; }
  #errors { position: fixed; top: 28px; left: 10%; right: 10%; z-index: 2; background: #fff3f3; color: #900; border: 2px solid #c00; padding: 8px 12px; white-space: pre-wrap; font: 13px ui-monospace, monospace; display: none; max-height: 40vh; overflow: auto; }
  body.failed #errors { display: block; }
  #pages { padding: 36px 0 24px; }
  .page { position: relative; margin: 12px auto; background: #fff; box-shadow: 0 1px 4px #0006; }
  .page canvas { position: absolute; inset: 0; width: 100%; height: 100%; }
  .textLayer { position: absolute; inset: 0; overflow: hidden; line-height: 1; opacity: 0.25; }
  .textLayer span, .textLayer br { color: transparent; position: absolute; white-space: pre; cursor: text; transform-origin: 0% 0%; }
  .textLayer ::selection { background: #36f; }
  .flash { position: absolute; left: 0; right: 0; height: 2em; background: #fd04; pointer-events: none; }
</style>
</head>
<body>
<div id="status"><span id="state">loading…</span><span class="behind">behind a save: building…</span><span class="drafted">the pages around your edit are a draft until the whole thesis is built</span><span id="place"></span></div>
<div id="errors"></div>
<div id="pages"></div>
<script type="module">
const state = { version: 0, pages: 0, blocks: [], lastOpen: null, drawn: 0, painted: 0, paintedFull: 0, draftPages: [], draftTexts: {} };
window.previewState = state;
// pdf.js from this server (the page's own address holds the token).
const pdfjs = await import(new URL('pdf.mjs', location.href).href);
pdfjs.GlobalWorkerOptions.workerSrc = new URL('pdf.worker.mjs', location.href).href;
const SCALE = 1.5;
// One pdf.js worker for every document: by default each document starts a worker of its own, which
// loads and compiles pdf.js again (100 ms and more per build here). Glyphs are drawn as outlines
// rather than loaded as web fonts: a new document's fonts cost the browser 50–250 ms before its first
// page is drawn, and every build is a new document.
const worker = new pdfjs.PDFWorker();
const documentOptions = { worker, disableFontFace: true };
// Pages are drawn with the print intent: with the display intent pdf.js waits for an animation frame before
// each slice of its drawing and after each part of the page's operators the worker sends (measured here:
// 14–62 ms a page of running text against 8–34 ms). The canvas is shown only once drawn, so nothing is gained
// by yielding to frames. The intents differ otherwise in annotations (not drawn here: a click names a source
// line) and in optional content meant for the screen or for print only, which Typst does not write. A page
// drawn so lets go of its operators afterwards, which a redraw (a new build's page) never reuses anyway.
const renderOptions = { intent: 'print', annotationMode: pdfjs.AnnotationMode.DISABLE };
const pagesEl = document.getElementById('pages');
let observer = null;
// What each place in the page list shows: a page of the last full build, or of a draft standing in for
// some of them (preview/draft.ts) until the next full build.
let slots = [];
let fullSlots = [];
let fullBlocks = [];
let documents = new Set();
let nextDocument = 0;

function pageEl(n) { return pagesEl.children[n - 1]; }

async function draw(div) {
  const slot = slots[Number(div.dataset.page) - 1];
  if (!slot || div.dataset.drawn === slot.id) return;
  div.dataset.drawn = slot.id;
  const page = await slot.pdf.getPage(slot.page);
  const viewport = page.getViewport({ scale: SCALE });
  // A page of another size than the first (a landscape table) gets its own size when drawn.
  div.style.width = viewport.width + 'px';
  div.style.height = viewport.height + 'px';
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * devicePixelRatio);
  canvas.height = Math.floor(viewport.height * devicePixelRatio);
  await page.render({ ...renderOptions, canvasContext: canvas.getContext('2d', { alpha: false }), viewport, transform: devicePixelRatio !== 1 ? [devicePixelRatio, 0, 0, devicePixelRatio, 0, 0] : undefined }).promise;
  if (div.dataset.drawn !== slot.id) return;
  // Swapped in whole: the old drawing stays until the new one is ready, so nothing flickers. The text layer
  // (for finding and copying words) follows the picture, which is what the reader waits for: laid out while
  // the picture was drawn, it made the picture come 10-20 ms later (measured).
  div.replaceChildren(canvas);
  div.classList.toggle('draft', slot.draft);
  state.drawn++;
  const text = document.createElement('div');
  text.className = 'textLayer';
  text.dataset.version = slot.draft ? 'draft' : String(slot.version);
  text.style.setProperty('--scale-factor', String(SCALE));
  const textDone = new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
  const textShown = textDone.then(() => {
    if (div.dataset.drawn === slot.id && div.firstChild === canvas) div.append(text);
    // What each draft page said, by its page number (the tests compare it with the full build's page).
    if (slot.draft) state.draftTexts[div.dataset.page] = text.textContent;
    // When the words of a draft's page could first be found and copied (the bench reads it).
    if (slot.draft) state.draftTextAt ??= Date.now();
  }, () => undefined);
  // Wrapped: the caller has the picture now, and the text layer when it wants it.
  return { text: textShown };
}

/**
 * Shows next (a list of slots) in the page list, keeping the reader's place (or going where place() scrolls
 * to), and draws the pages in view.
 */
async function show(next, place) {
  // Where the reader is, kept: the page at the top of the window and how far into it.
  const top = [...pagesEl.children].find((div) => div.getBoundingClientRect().bottom > 40);
  const anchor = top ? { page: Number(top.dataset.page), offset: 40 - top.getBoundingClientRect().top } : null;
  slots = next;
  state.pages = slots.length;
  // The page numbers showing a draft (the tests and the bench read it).
  state.draftPages = slots.flatMap((slot, i) => (slot.draft ? [i + 1] : []));
  while (pagesEl.children.length > slots.length) pagesEl.lastChild.remove();
  // Every page is laid out at the first page's size (asking each page of a 400-page thesis costs
  // a round trip to pdf.js's worker apiece); a page of another size is corrected when it is drawn.
  const first = (await slots[0].pdf.getPage(slots[0].page)).getViewport({ scale: SCALE });
  for (let n = 1; n <= slots.length; n++) {
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
  // The page the writer is taken to (the edit's), drawn before any other.
  const focus = place ? place() : undefined;
  // The pages in view are drawn again now; the others when they come into view.
  const inView = [...pagesEl.children].filter((div) => { const box = div.getBoundingClientRect(); return box.bottom > 0 && box.top < innerHeight; });
  // A draft's pages first: they are what the writer looks at. The pages beside them in view follow, and so
  // do those a scroll brought into view meanwhile (after a scroll to a part of a long thesis not drawn
  // before, the full build's page there costs pdf.js 0.1–0.2 s more the first time: its fonts are read).
  // Of a draft's pages in view, the page holding the edit alone first (drawn together, two pages of a 10x thesis
  // took 72–143 ms, the one with the edit half of it): show() returns once it is drawn; the others follow.
  const drafted = inView.filter((div) => slots[Number(div.dataset.page) - 1]?.draft);
  const edited = drafted.find((div) => Number(div.dataset.page) === focus) ?? drafted[0];
  state.draftPagesDrawn = drafted.length;
  const firstDrawn = edited ? draw(edited) : Promise.resolve();
  // The others after the edited page's text layer too: drawn beside it, they held its words back 40-60 ms at 10x.
  const draftDrawn = firstDrawn.then((drawn) => drawn?.text).then(() => Promise.all(drafted.filter((div) => div !== edited).map(draw))).then(() => { if (edited) state.draftDrawnAt = Date.now(); });
  drawLater = draftDrawn;
  draftDrawn.then(() => { if (drawLater === draftDrawn) drawLater = null; });
  const shown = await firstDrawn;
  const others = draftDrawn.then(() => Promise.all(inView.filter((div) => !drafted.includes(div)).map(draw)));
  if (drafted.length === 0) await others;
  // Documents no slot shows any more are let go.
  const used = new Set(slots.map((slot) => slot.pdf));
  for (const pdf of documents) if (!used.has(pdf)) { documents.delete(pdf); pdf.destroy(); }
  // The text layer of the page drawn first, when it is there (wrapped: an async function returning a
  // promise would wait for it).
  return { text: shown?.text };
}

async function load(version) {
  const started = performance.now();
  const loaded = await pdfjs.getDocument({ url: './thesis.pdf?v=' + version, ...documentOptions }).promise;
  const fetched = performance.now();
  documents.add(loaded);
  const id = nextDocument++;
  state.version = version;
  fullSlots = Array.from({ length: loaded.numPages }, (_, i) => ({ pdf: loaded, page: i + 1, id: id + ':' + (i + 1), draft: false, version }));
  await show(fullSlots);
  // Where the time goes between the build and the painted pages (the bench reads it).
  state.timings = { loadMs: fetched - started, drawMs: performance.now() - fetched };
  if (!warmed) warmed = warm(loaded);
}

/**
 * Once, after the first build is shown: a page from the middle of the thesis drawn where nobody sees it. The
 * first page of running text pdf.js draws costs it 0.05–0.15 s more than the next (its code for glyph outlines
 * is compiled then), and that first page would otherwise be the first save's draft.
 */
let warmed = null;
async function warm(pdf) {
  const page = await pdf.getPage(Math.ceil(pdf.numPages / 2));
  const viewport = page.getViewport({ scale: SCALE });
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  await page.render({ ...renderOptions, canvasContext: canvas.getContext('2d', { alpha: false }), viewport }).promise.catch(() => undefined);
}

/** A draft of the pages around an edit: it stands in for some pages of the last full build until the next one. */
async function loadDraft(event) {
  const started = performance.now();
  const delivered = Date.now() - event.timings.sentAt;
  // Decoded by a plain loop: Uint8Array.from with a function called for each byte took 10 ms and more for a draft
  // holding a font with Chinese characters.
  const binary = atob(event.pdf);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const loaded = await pdfjs.getDocument({ data: bytes, ...documentOptions }).promise;
  const fetched = performance.now();
  documents.add(loaded);
  const id = nextDocument++;
  state.draftTexts = {};
  state.draftTextAt = null;
  const drafted = Array.from({ length: event.pages }, (_, i) => ({ pdf: loaded, page: event.firstPage + i, id: id + ':' + (event.firstPage + i), draft: true }));
  // To the edit before drawing, so the pages drawn are the ones the writer will look at (the mark follows the drawing).
  const { text } = await show([...fullSlots.slice(0, event.from - 1), ...drafted, ...fullSlots.slice(event.from - 1 + event.replaces)], () => reveal(event.reveal.file, event.reveal.line, false));
  state.draftTimings = { loadMs: fetched - started, drawMs: performance.now() - fetched, pagesDrawn: state.draftPagesDrawn, ...event.timings, delivered, received: event.receivedAt - event.timings.sentAt };
  return { text };
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

/** Scrolls to the block at a file's line, and marks it for a moment (unless only the scroll is wanted: then says its page). */
function reveal(file, line, mark = true) {
  revealedAt = Date.now();
  let found = null;
  for (const block of state.blocks) if (block.file === file && block.line <= line && (!found || block.line >= found.line)) found = block;
  if (!found) return;
  const div = pageEl(found.page);
  if (!div) return;
  // A heading's marker is below the heading: show the heading too.
  window.scrollTo({ top: div.offsetTop + found.y * SCALE - (found.heading ? 160 : 80) });
  state.revealed = { file, line, page: found.page };
  if (!mark) return found.page;
  const flash = document.createElement('div');
  flash.className = 'flash';
  flash.style.top = found.y * SCALE + 'px';
  div.append(flash);
  // Shown, then taken away, not faded: a fade redraws the window sixty times a second for its length, and a
  // browser drawing without a graphics card (software raster) spends a core on it while the next save builds.
  setTimeout(() => flash.remove(), 1200);
}

// Where the reader stops scrolling (the block in the middle of the window) is told to the preview, which makes
// a draft there ready for the first save there (commands/preview.ts rehearseAt). Not after a scroll of the page's
// own (to a save, or to the editor's cursor: the preview knows those places).
let revealedAt = 0;
let viewingTimer = null;
let viewing = '';
addEventListener('scroll', () => {
  clearTimeout(viewingTimer);
  viewingTimer = setTimeout(() => {
    if (Date.now() - revealedAt < 1000) return;
    const middle = innerHeight / 2;
    const div = [...pagesEl.children].find((page) => { const box = page.getBoundingClientRect(); return box.top <= middle && box.bottom >= middle; });
    const block = div && blockAt(Number(div.dataset.page), (middle - div.getBoundingClientRect().top) / SCALE);
    if (!block || viewing === block.file + ':' + block.line) return;
    viewing = block.file + ':' + block.line;
    fetch('./viewing', { method: 'POST', body: JSON.stringify({ file: block.file, line: block.line }) });
  }, 300);
}, { passive: true });

// Only the pages in view are drawn, when they come into view: drawing the pages around them ahead took
// the browser 0.3 s and more after each build, on the cores the next save's build needs (two here).
// While a draft's pages are drawn, the pages a scroll brought into view wait for them.
let drawLater = null;
observer = new IntersectionObserver((entries) => {
  for (const entry of entries) if (entry.isIntersecting) (drawLater ?? Promise.resolve()).then(() => draw(entry.target));
});

let queue = Promise.resolve();
const events = new EventSource('./events');
events.onmessage = (message) => {
  const event = JSON.parse(message.data);
  event.receivedAt = Date.now();
  queue = queue.then(async () => {
    if (event.type === 'behind') document.body.classList.add('behind');
    if (event.type === 'reveal') reveal(event.file, event.line);
    if (event.type === 'failed') {
      // A draft shown for this save goes: the last good pages are the last full build's.
      if (state.draftPages.length) { state.blocks = fullBlocks; await show(fullSlots); }
      document.body.classList.remove('behind', 'drafted');
      document.body.classList.add('failed');
      document.getElementById('errors').textContent = event.errors.join('\\n');
      document.getElementById('state').textContent = 'the last build failed; the pages are the last good ones';
      state.failed = event.errors;
    }
    if (event.type === 'draft' && fullSlots.length) {
      // Blocks outside the draft keep the last full build's places (the pages the draft stands among), moved by
      // the pages the draft added or took.
      const moved = event.pages - event.replaces;
      const end = event.from + event.replaces;
      state.blocks = [...fullBlocks.filter((b) => b.page < event.from), ...event.blocks, ...fullBlocks.filter((b) => b.page >= end).map((b) => ({ ...b, page: b.page + moved }))];
      const { text } = await loadDraft(event);
      document.body.classList.add('drafted');
      // When it was painted, by the clock the bench saves by (its polling would add its own delay).
      state.paintedAt = Date.now();
      state.painted++;
      state.drafted = event.version;
      // The preview holds the whole thesis's compile until the draft is on screen, its words included
      // (watch/watcher.ts rebuild): laid out beside that compile, the text layer came 30-50 ms after the picture.
      await text;
      fetch('./painted', { method: 'POST', body: JSON.stringify({ version: event.version }) });
    }
    if (event.type === 'built') {
      state.blocks = fullBlocks = event.blocks;
      await load(event.version);
      document.body.classList.remove('behind', 'failed', 'drafted');
      state.failed = null;
      document.getElementById('state').textContent = event.pages + ' pages, build ' + event.version + (event.errors.length ? ', ' + event.errors.length + ' warnings' : '');
      state.paintedAt = state.paintedFullAt = Date.now();
      state.painted++;
      state.paintedFull = event.version;
    }
  }).catch((error) => { document.getElementById('state').textContent = 'cannot show the PDF: ' + error.message; });
};
</script>
</body>
</html>
`;
}
