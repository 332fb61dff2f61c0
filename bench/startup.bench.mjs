// Start-up: whole ldhooks processes against a bare `node -e 0`, run in turns in the same run so
// that all of them see the same machine (this one is shared and noisy), medians of 15 rounds.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The command the package ships (its `bin`: the bundle of scripts/bundle-cli.mjs).
const cli = path.join(root, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).bin.ldhooks);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const PROCESSES = [
  { key: 'node', label: 'node -e 0', args: ['-e', '0'] },
  { key: 'version', label: 'ldhooks --version', args: [cli, '--version'], out: /^\d+\.\d+\.\d+/ },
  { key: 'help', label: 'ldhooks --help', args: [cli, '--help'], out: /^Usage: ldhooks/ },
  {
    key: 'validate',
    label: 'ldhooks validate examples/',
    args: [cli, 'validate', 'examples/'],
    out: /, valid/,
  },
];

/** Wall time of one process, from spawn to exit; a run that does not succeed stops the bench. */
function time({ label, args, out }) {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0 || (out && !out.test(r.stdout)))
    throw new Error(`${label} failed (${r.status}): ${r.stderr}`);
  return ms;
}

export async function run(report) {
  const rounds = 15;
  for (const p of PROCESSES) time(p); // warm-up: the file system's cache
  const times = Object.fromEntries(PROCESSES.map((p) => [p.key, []]));
  for (let i = 0; i < rounds; i++) for (const p of PROCESSES) times[p.key].push(time(p));
  const m = Object.fromEntries(PROCESSES.map((p) => [p.key, median(times[p.key])]));
  report(`load average (1 min) when measured`, loadavg()[0], '', {});
  for (const p of PROCESSES) report(`${p.label} (median of ${rounds})`, m[p.key], 'ms', {});
  report('ldhooks --version / node -e 0', m.version / m.node, 'x', { max: 1.5 });
  report('ldhooks --help / node -e 0', m.help / m.node, 'x', {});
  report('ldhooks validate examples/ / node -e 0', m.validate / m.node, 'x', { max: 2 });
}
