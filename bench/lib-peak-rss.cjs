// Preloaded (`node --require`) into a process whose peak RSS a benchmark wants: at exit it appends VmHWM (the
// kernel's high-water mark of resident memory, in kB) to the file named by BENCH_PEAK_RSS_FILE.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a --require preload is CommonJS
const { appendFileSync, readFileSync } = require('node:fs');

process.on('exit', () => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m && process.env.BENCH_PEAK_RSS_FILE) appendFileSync(process.env.BENCH_PEAK_RSS_FILE, `${m[1]}\n`);
  } catch {
    // no /proc: no figure
  }
});
