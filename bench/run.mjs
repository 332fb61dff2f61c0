// Runs every bench/*.bench.mjs and prints each figure beside its target. Not part of npm test:
// timings on shared machines are noisy, so targets are reported, never asserted in tests.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// `node bench/run.mjs [FILTER]` (or `npm run bench -- FILTER`): only the files whose name holds FILTER.
const only = process.argv[2];
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only))).sort();
if (files.length === 0) {
  const all = (await readdir(here)).filter((f) => f.endsWith('.bench.mjs')).sort();
  console.error(`no benchmark file name holds "${only}"; the files are ${all.join(', ')}`);
  process.exit(2);
}
const started = performance.now();
let missed = 0;

function report(label, value, unit, target) {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(unit === 'ms' ? 1 : 2);
  let verdict = 'reported';
  const u = unit ? ` ${unit}` : '';
  if (target.max !== undefined) verdict = value <= target.max ? `target <= ${target.max}${u}: met` : `target <= ${target.max}${u}: MISSED`;
  if (target.min !== undefined) verdict = value >= target.min ? `target >= ${target.min}${u}: met` : `target >= ${target.min}${u}: MISSED`;
  if (verdict.endsWith('MISSED')) missed += 1;
  console.log(`${label.padEnd(64)} ${shown.padStart(10)} ${unit.padEnd(6)} ${verdict}`);
}

for (const file of files) {
  const mod = await import(path.join(here, file));
  console.log(`# ${file}`);
  await mod.run(report);
}
const took = `(${((performance.now() - started) / 1000).toFixed(0)} s)`;
console.log(missed === 0 ? `all targets met ${took}` : `${missed} target(s) missed ${took}`);
// A missed target fails the run, so that a script can tell.
process.exitCode = missed === 0 ? 0 : 1;
