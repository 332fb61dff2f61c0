// How long ldhooks takes to read, parse and validate a large config (5,000 webhooks in 50 files),
// against the floor of only reading the same files and parsing them with the same YAML library.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig } from '../dist/adapters/fs/config-source.js';
import { writeConfigTree } from './generate.mjs';
import { readAndParse } from './scenario.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time of each function, run in turns after one warm-up round. */
async function interleaved(fns, runs) {
  for (const fn of fns) await fn(); // warm-up: module loading, schema compilation, JIT
  const times = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of fns.entries()) {
      const start = performance.now();
      await fn();
      times[k].push(performance.now() - start);
    }
  }
  return times.map(median);
}

export async function run(report) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-bench-validate-'));
  try {
    await writeConfigTree(dir, 5000, 50);
    const runValidate = async () => {
      const result = await readConfig([dir], { env: {}, cwd: dir });
      if (result.webhooks.length !== 5000 || result.problems.length > 0) throw new Error('unexpected result');
    };
    const runFloor = async () => {
      readAndParse(dir);
    };
    // Interleaved, so that both see the same machine: this one is shared and noisy.
    const [validate, floor] = await interleaved([runValidate, runFloor], 7);
    report('validate: 5,000 webhooks in 50 files (median of 7)', validate, 'ms', {});
    report('floor: read + YAML-parse the same files (median of 7)', floor, 'ms', {});
    report('validate / floor', validate / floor, 'x', { max: 1.5 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
