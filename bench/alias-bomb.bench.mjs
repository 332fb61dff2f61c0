// How long the loader takes to refuse the 9-line alias bomb ("billion laughs"): it must measure
// each anchor once rather than expand the aliases, so the time follows the text, not the expansion.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYamlSource } from '../dist/adapters/fs/yaml-source.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(report) {
  const text = await readFile(path.join(here, '../test/fixtures/invalid/alias-bomb.yaml'), 'utf8');
  const refuse = () => {
    const start = performance.now();
    const { problems } = parseYamlSource('alias-bomb.yaml', text, {});
    const ms = performance.now() - start;
    if (problems.map((p) => p.code).join() !== 'yaml.alias-bomb') throw new Error('not refused');
    return ms;
  };
  // The first run pays for JIT warm-up, as a one-shot CLI run does: both are worth knowing.
  const first = refuse();
  const times = Array.from({ length: 7 }, refuse);
  report('alias bomb refused: first run in the process', first, 'ms', { max: 50 });
  report('alias bomb refused (median of 7)', median(times), 'ms', { max: 50 });
}
