// Plan and apply at scale, against the emulator over loopback HTTP.
// Plan: 5,000 declared webhooks in 50 files; 5,000 live ones (80% identical, 15% differing,
// 5% to delete; the declared webhooks missing from LaunchDarkly are creates).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { startEmulator } from '../dist/adapters/emulator/index.js';
import { LaunchDarklyClient } from '../dist/adapters/launchdarkly/client.js';
import { computePlan, createBody } from '../dist/core/plan/plan.js';
import { readConfig } from '../dist/adapters/fs/config-source.js';
import { renderText } from '../dist/render/text.js';
import { writeConfigTree } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function runChild(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, 'plan-child.mjs'), ...args], { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

let seq = 0;
const id = () => (++seq).toString(16).padStart(24, '0');

async function seed(emulator, desired, { identical, differing, extra }) {
  let i = 0;
  for (const d of desired.slice(0, identical)) {
    const b = createBody(d);
    emulator.store.put({ _id: id(), name: b.name, url: b.url, on: b.on, tags: b.tags, ...(b.statements ? { statements: b.statements } : {}) });
    i++;
  }
  for (const d of desired.slice(i, i + differing)) {
    const b = createBody(d);
    emulator.store.put({ _id: id(), name: b.name, url: `${b.url}/old`, on: !b.on, tags: b.tags });
  }
  for (let k = 0; k < extra; k++) {
    emulator.store.put({ _id: id(), name: `stale-${k}`, url: 'https://stale.example.com', on: true, tags: ['managed-by-ldhooks'] });
  }
}

export async function run(report) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-bench-plan-'));
  const emulator = await startEmulator();
  try {
    await writeConfigTree(dir, 5000, 50);
    const config = await readConfig([dir], { env: {}, cwd: dir });
    await seed(emulator, config.webhooks, { identical: 4000, differing: 750, extra: 250 });
    const env = { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token };

    // The CLI as users run it: request count and peak memory.
    emulator.resetLog();
    const child = await runChild(['plan', dir], env);
    if (child.code !== 0) throw new Error(`plan failed: ${child.stderr}`);
    report('plan: requests sent (5,000 declared, 5,000 live)', emulator.requests.length, 'req', { max: 1 });
    report('plan: peak memory of the whole process (maxRSS)', Number(/MAXRSS_KB=(\d+)/.exec(child.stderr)?.[1]) / 1024, 'MB', { max: 300 });

    // Wall time in process, against the floor measured in the same run.
    const client = new LaunchDarklyClient({ baseUri: emulator.url, token: emulator.token });
    const planTimes = [];
    const floorTimes = [];
    let summary;
    for (let r = 0; r < 8; r++) {
      let t = performance.now();
      const c = await readConfig([dir], { env: {}, cwd: dir });
      const live = await client.list();
      const result = computePlan({ desired: c.webhooks, live, ownerTags: c.ownerTags });
      renderText(result.plan);
      if (r > 0) planTimes.push(performance.now() - t);
      summary = result.plan.summary;

      t = performance.now();
      for (const f of (await readdir(dir)).sort()) parseAllDocuments(await readFile(path.join(dir, f), 'utf8'));
      const res = await fetch(`${emulator.url}/api/v2/webhooks`, { headers: { Authorization: emulator.token } });
      JSON.parse(await res.text());
      if (r > 0) floorTimes.push(performance.now() - t);
    }
    if (summary.noop !== 4000 || summary.update !== 750 || summary.delete !== 250 || summary.create !== 250) {
      throw new Error(`unexpected plan ${JSON.stringify(summary)}`);
    }
    const plan = median(planTimes);
    const floor = median(floorTimes);
    report('plan: wall time, in process (median of 7)', plan, 'ms', {});
    report('floor: read + YAML-parse the files + one list + JSON.parse', floor, 'ms', {});
    report('plan / floor', plan / floor, 'x', { max: 1.5 });
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }

}
