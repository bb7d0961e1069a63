// A file's text on its way to Typst's process (typst-process.ts): the main
// file's, a previewed thesis's chapters', the template's; each as what
// changed since the text sent before. A thesis at 10× is a 1.6 MB main
// file, and sending it whole took 18–23 ms a compile (copied to the relay
// thread, serialised to the process, read back), more than Typst needs to
// compile a preview's draft of it (2–50 ms): between two compiles of one
// session the text differs in a paragraph or two, or not at all (a draft and
// the full build after it compile the same text).

/** A main file's text, or how it differs from the one sent before under `base`. */
export type MainText = { id: number; text: string } | { id: number; base: number; head: number; tail: number; middle: string };

/** Characters compared at once while looking for the first difference (string slices compare as memory). */
const STRIDE = 4096;

/** How many characters `a` and `b` share at their start. */
function sharedHead(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let at = 0;
  while (at + STRIDE <= limit && a.slice(at, at + STRIDE) === b.slice(at, at + STRIDE)) at += STRIDE;
  while (at < limit && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** How many characters `a` and `b` share at their end, not reaching into the first `head` of either. */
function sharedTail(a: string, b: string, head: number): number {
  const limit = Math.min(a.length, b.length) - head;
  let at = 0;
  while (at + STRIDE <= limit && a.slice(a.length - at - STRIDE, a.length - at) === b.slice(b.length - at - STRIDE, b.length - at)) at += STRIDE;
  while (at < limit && a.charCodeAt(a.length - 1 - at) === b.charCodeAt(b.length - 1 - at)) at++;
  return at;
}

/** The text to send as `id`: whole, or against the text sent before (`previous`, sent as `previous.id`). */
export function mainText(id: number, text: string, previous: { id: number; text: string } | undefined): MainText {
  if (!previous) return { id, text };
  const head = sharedHead(previous.text, text);
  const tail = sharedTail(previous.text, text, head);
  return { id, base: previous.id, head, tail, middle: text.slice(head, text.length - tail) };
}

/** The text sent, given the text sent before it (null when that is not the one it was made against). */
export function receivedText(main: MainText, previous: { id: number; text: string } | undefined): string | null {
  if ('text' in main) return main.text;
  if (!previous || previous.id !== main.base) return null;
  // The same text: the same string (compared by reference where it is kept, compile/typst-compiler.ts).
  if (main.middle === '' && main.head + main.tail === previous.text.length) return previous.text;
  return previous.text.slice(0, main.head) + main.middle + previous.text.slice(previous.text.length - main.tail);
}
