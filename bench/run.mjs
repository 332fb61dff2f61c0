// Runs every bench/*.bench.mjs and prints each figure beside its target. Not part of npm test:
// timings on shared machines are noisy, so targets are reported, never asserted in tests.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only))).sort();
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
console.log(missed === 0 ? 'all targets met' : `${missed} target(s) missed`);
