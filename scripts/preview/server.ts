// The live preview's web server. It answers only on the loopback interface,
// only to requests that carry the token it was started with (in the path:
// `/<token>/…`) and name it by its own address (a page elsewhere cannot
// reach it by a DNS name that points here), and serves nothing but the
// preview's page, pdf.js, the thesis's PDF as watch last wrote it, and the
// build's state as server-sent events.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { previewPage } from './page.js';

const require = createRequire(import.meta.url);

/** What the page is told after each build, and when a save is waiting for one. */
export type PreviewEvent =
  | { type: 'built'; version: number; pages: number; blocks: { file: string; line: number; page: number; y: number; heading: boolean }[]; errors: string[] }
  /**
   * The pages around an edit, compiled alone before the whole thesis (preview/draft.ts): the draft's
   * pages from `firstPage` on stand in for the `replaces` pages of the last build from `from` on.
   */
  | { type: 'draft'; version: number; pdf: string; from: number; replaces: number; firstPage: number; pages: number; blocks: { file: string; line: number; page: number; y: number; heading: boolean }[]; reveal: { file: string; line: number }; timings: { rendered: number; sent: number; sentAt: number } & Record<string, number> }
  | { type: 'failed'; errors: string[] }
  | { type: 'behind'; files: string[] }
  | { type: 'reveal'; file: string; line: number }
  /** A click in the page named this place: for a language server listening, to show it in the editor. */
  | { type: 'open'; file: string; line: number };

export interface PreviewServer {
  /** The address to open, token included. */
  url: string;
  /** Tells every open page. */
  send(event: PreviewEvent): void;
  /** A click in the page named a place in a chapter. */
  onOpen(handler: (place: { file: string; line: number }) => void): void;
  /** The editor's cursor moved (the language server tells): the page scrolls there. */
  onReveal(handler: (place: { file: string; line: number }) => void): void;
  /** The page's reader stopped scrolling at a block (the one in the middle of the window). */
  onViewing(handler: (place: { file: string; line: number }) => void): void;
  /** A page drew the page of a draft holding the edit (the draft's `version`). */
  onPainted(handler: (version: number) => void): void;
  /** How many pages are open (listening to the events). */
  readonly pages: number;
  close(): Promise<void>;
}

/** pdf.js's files the page loads (the module and its worker), from the installed package. */
function pdfjsFiles(): Record<string, string> {
  const dir = path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'build');
  return { 'pdf.mjs': path.join(dir, 'pdf.min.mjs'), 'pdf.worker.mjs': path.join(dir, 'pdf.worker.min.mjs') };
}

export async function startPreviewServer(options: { pdfFile: string; title: string; port?: number }): Promise<PreviewServer> {
  const token = crypto.randomBytes(18).toString('base64url');
  const clients = new Set<http.ServerResponse>();
  let last: PreviewEvent | null = null;
  let openHandler: (place: { file: string; line: number }) => void = () => {};
  let revealHandler: (place: { file: string; line: number }) => void = () => {};
  let viewingHandler: (place: { file: string; line: number }) => void = () => {};
  let paintedHandler: (version: number) => void = () => {};
  const pdfjs = pdfjsFiles();
  let port = 0;

  const server = http.createServer((request, response) => {
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
      response.end(body);
    };
    // Only this address: a page of another site that names the loopback by a DNS name of its own is turned away.
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(403, 'text/plain', 'forbidden');
    const url = new URL(request.url ?? '/', `http://${host}`);
    const [, given, ...rest] = url.pathname.split('/');
    const expected = Buffer.from(token);
    if (!given || Buffer.byteLength(given) !== expected.length || !crypto.timingSafeEqual(Buffer.from(given), expected)) return send(403, 'text/plain', 'forbidden');
    const route = rest.join('/');
    if (request.method === 'GET' && route === '') {
      response.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; worker-src 'self' blob:; connect-src 'self'");
      return send(200, 'text/html; charset=utf-8', previewPage(options.title));
    }
    if (request.method === 'GET' && route in pdfjs) return send(200, 'text/javascript; charset=utf-8', fs.readFileSync(pdfjs[route as keyof typeof pdfjs]));
    if (request.method === 'GET' && route === 'thesis.pdf') {
      try {
        return send(200, 'application/pdf', fs.readFileSync(options.pdfFile));
      } catch {
        return send(404, 'text/plain', 'no PDF yet');
      }
    }
    if (request.method === 'GET' && route === 'events') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      response.write(': connected\n\n');
      if (last) response.write(`data: ${JSON.stringify(last)}\n\n`);
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    if (request.method === 'POST' && (route === 'open' || route === 'reveal' || route === 'viewing' || route === 'painted')) {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 4096) request.destroy();
      });
      request.on('end', () => {
        try {
          if (route === 'painted') {
            const { version } = JSON.parse(body) as { version?: unknown };
            if (typeof version !== 'number') return send(400, 'text/plain', 'bad request');
            paintedHandler(version);
            return send(204, 'text/plain', '');
          }
          const place = JSON.parse(body) as { file?: unknown; line?: unknown };
          if (typeof place.file !== 'string' || typeof place.line !== 'number') return send(400, 'text/plain', 'bad request');
          // A click in the page (open), the editor's cursor through the language server (reveal), the page scrolled (viewing).
          if (route === 'open') openHandler({ file: place.file, line: place.line });
          else if (route === 'reveal') revealHandler({ file: place.file, line: place.line });
          else viewingHandler({ file: place.file, line: place.line });
          send(204, 'text/plain', '');
        } catch {
          send(400, 'text/plain', 'bad request');
        }
      });
      return;
    }
    return send(404, 'text/plain', 'not found');
  });
  // A page that stays open keeps its event stream: it must not keep the server from closing.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/${token}/`,
    send(event) {
      // A reveal is for now; the state is what a page opened later needs.
      // A draft is for the pages open now; one opened later loads the last full build.
      if (event.type !== 'reveal' && event.type !== 'open' && event.type !== 'draft') last = event.type === 'behind' && last?.type === 'built' ? last : event;
      const data = `data: ${JSON.stringify(event)}\n\n`;
      for (const client of clients) {
        client.write(data);
        // Node holds a response's writes until the next tick; a draft is sent just before the whole
        // thesis is compiled (which holds this thread), so it goes out now.
        client.socket?.uncork();
      }
    },
    onOpen(handler) {
      openHandler = handler;
    },
    onReveal(handler) {
      revealHandler = handler;
    },
    onViewing(handler) {
      viewingHandler = handler;
    },
    onPainted(handler) {
      paintedHandler = handler;
    },
    get pages() {
      return clients.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.end();
        clients.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
