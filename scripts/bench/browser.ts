// The Chromium the tests and the bench drive: the one inside the npm package
// @sparticuz/chromium (a dev dependency; nothing downloaded, no system
// browser), started as a desktop browser on a machine without a graphics card
// starts. The package's own arguments are made for a serverless function:
// one process for everything, and the GPU emulated on the processor
// (SwiftShader). With those, every canvas the preview draws and every frame
// it composes went through the emulated GPU: two threads busy for 0.3 s
// after each build, on the two cores the next save's build needs, where a
// desktop browser without a GPU draws canvases with the processor directly
// and composes without a GPU (measured with the bench's preview rows).
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';

/** The package's arguments that emulate a GPU, or put the browser in one process, or lower its guard. */
const SERVERLESS_ONLY = new Set([
  '--single-process',
  '--no-zygote',
  '--in-process-gpu',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-web-security',
  '--allow-running-insecure-content',
]);

export async function launchBrowser(): Promise<Browser> {
  const args = [...chromium.args.filter((arg) => !SERVERLESS_ONLY.has(arg)), '--disable-gpu'];
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}
