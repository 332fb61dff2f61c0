// Runs one ldhooks command in this process and reports its peak memory (maxRSS) on stderr.
import { run } from '../dist/cli/program.js';

const code = await run(process.argv.slice(2), {
  stdout: { write: () => true },
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signals: process,
});
process.stderr.write(`MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
