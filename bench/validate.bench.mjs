// How long ldhooks takes to read, parse and validate a large config (5,000 webhooks in 50 files),
// against the floor of only reading the same files and parsing them with the same YAML library.
import { readFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readConfig } from '../dist/engine/read-config.js';
import { writeConfigTree } from './generate.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn, runs = 5) {
  await fn(); // warm-up: module loading, schema compilation, JIT
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function run(report) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-bench-validate-'));
  try {
    await writeConfigTree(dir, 5000, 50);
    const validate = await timed(async () => {
      const result = await readConfig([dir], { env: {}, cwd: dir });
      if (result.webhooks.length !== 5000 || result.problems.length > 0) throw new Error('unexpected result');
    });
    const floor = await timed(async () => {
      for (const f of (await readdir(dir)).sort()) parseAllDocuments(await readFile(path.join(dir, f), 'utf8'));
    });
    report('validate: 5,000 webhooks in 50 files (median of 5)', validate, 'ms', {});
    report('floor: read + YAML-parse the same files (median of 5)', floor, 'ms', {});
    report('validate / floor', validate / floor, 'x', { max: 1.5 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
