// The language server's side of the live preview: when `thesis preview`
// runs for the same thesis (it leaves its address in dist/.preview.json,
// readable by this user only), a click in the page comes here as an `open`
// event and goes to the editor (window/showDocument), and the editor's
// cursor (the `thesis/cursor` notification the VS Code extension sends)
// goes to the page, which scrolls there. Without a preview running, nothing.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export class PreviewLink {
  private url: string | null = null;
  private stream: http.ClientRequest | null = null;

  constructor(
    private readonly projectDir: string,
    /** A click in the preview named this chapter file (absolute) and line (1-based). */
    private readonly onOpen: (file: string, line: number) => void,
  ) {}

  /** Connects to a running preview of this thesis, if there is one and no connection yet. */
  ensure(): void {
    if (this.stream) return;
    let url: string;
    try {
      url = (JSON.parse(fs.readFileSync(path.join(this.projectDir, 'dist', '.preview.json'), 'utf8')) as { url: string }).url;
    } catch {
      return;
    }
    // Only a preview on this machine's loopback: the file is the thesis's, the address must be ours.
    if (!/^http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/$/.test(url)) return;
    this.url = url;
    let buffer = '';
    this.stream = http.get(`${url}events`, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (!data) continue;
          try {
            const event = JSON.parse(data) as { type: string; file?: string; line?: number };
            if (event.type === 'open' && typeof event.file === 'string' && typeof event.line === 'number') this.onOpen(path.resolve(this.projectDir, event.file), event.line);
          } catch {
            // Not an event of ours.
          }
        }
      });
      response.on('end', () => this.drop());
    });
    this.stream.on('error', () => this.drop());
  }

  /** The editor's cursor is at this file (absolute) and line (1-based): the page scrolls there. */
  reveal(file: string, line: number): void {
    this.ensure();
    if (!this.url) return;
    const request = http.request(`${this.url}reveal`, { method: 'POST' }, (response) => response.resume());
    request.on('error', () => this.drop());
    request.end(JSON.stringify({ file: path.relative(this.projectDir, file).split(path.sep).join('/'), line }));
  }

  private drop(): void {
    this.stream?.destroy();
    this.stream = null;
    this.url = null;
  }

  dispose(): void {
    this.drop();
  }
}
