// Loaded with `node --import` into a benchmarked process: reports its peak
// resident memory on exit, on a line the benchmark reads from stderr, with
// the peaks of its child processes still running then added (Typst's
// process, typst-process.ts; read from /proc, so on Linux only).
import fs from 'node:fs';

function childrenPeakKb(): number {
  let total = 0;
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of entries) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      total += Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

process.on('exit', () => {
  process.stderr.write(`\n@@maxrss ${process.resourceUsage().maxRSS + childrenPeakKb()}\n`);
});
export {};
