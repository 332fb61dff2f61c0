// Plan and apply at scale, against the emulator over loopback HTTP.
// Plan: 5,000 declared webhooks in 50 files against 5,000 live ones (see scenario.mjs).
// Apply: 500 creates against --rate-limit 300 (requests per 10 s).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../dist/adapters/emulator/index.js';
import { writeConfigTree } from './generate.mjs';
import { maxRssMb, planScenario, runChild, timePlanAndFloor } from './scenario.mjs';

export async function run(report) {
  const scenario = await planScenario(5000);
  try {
    // The CLI as users run it: request count and peak memory.
    scenario.emulator.resetLog();
    const child = await runChild(['plan', scenario.dir], scenario.env);
    if (child.code !== 0) throw new Error(`plan failed: ${child.stderr}`);
    report('plan: requests sent (5,000 declared, 5,000 live)', scenario.emulator.requests.length, 'req', { max: 1 });
    report('plan: peak memory of the whole process (maxRSS)', maxRssMb(child), 'MB', { max: 300 });

    // Wall time in process, against the floor measured in the same run.
    const { plan, floor } = await timePlanAndFloor(scenario, 15);
    report('plan: wall time, in process (median of 15)', plan, 'ms', {});
    report('floor: read + YAML-parse the files + one list + JSON.parse', floor, 'ms', {});
    report('plan / floor', plan / floor, 'x', { max: 1.3 });
  } finally {
    await scenario.close();
  }

  // Apply under a rate limit.
  const applyDir = await mkdtemp(path.join(tmpdir(), 'ldhooks-bench-apply-'));
  const limited = await startEmulator({ rateLimit: 300 });
  try {
    await writeConfigTree(applyDir, 500, 10);
    const env = { LD_BASE_URI: limited.url, LD_ACCESS_TOKEN: limited.token };
    const child = await runChild(['apply', applyDir, '--auto-approve'], env);
    if (child.code !== 0) throw new Error(`apply failed: ${child.stderr}`);
    const writes = limited.requests.filter((r) => r.method !== 'GET' && r.status === 200);
    const seconds = (writes.at(-1).at - writes[0].at) / 1000;
    const rate = (writes.length - 1) / seconds;
    report('apply: writes made (500 creates)', writes.length, 'req', { min: 500 });
    report('apply: achieved writes per second (limit 300 per 10 s = 30/s)', rate, '/s', {});
    report('apply: achieved rate / limit', (rate / 30) * 100, '%', { min: 85 });
    report('apply: 429 responses met', limited.requests.filter((r) => r.status === 429).length, 'resp', { max: 4 });
  } finally {
    await limited.close();
    await rm(applyDir, { recursive: true, force: true });
  }
}
