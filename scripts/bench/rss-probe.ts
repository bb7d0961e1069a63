// Loaded with `node --import` into a benchmarked process: reports its peak
// resident memory on exit, on a line the benchmark reads from stderr.
process.on('exit', () => {
  process.stderr.write(`\n@@maxrss ${process.resourceUsage().maxRSS}\n`);
});
export {};
