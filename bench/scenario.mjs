// The plan scenario the benchmarks share: N declared webhooks, 100 to a file, against an account
// holding N of them: 80% identical, 15% differing, 5% to delete (the 5% declared and missing
// are creates). The account is written as an emulator data file: putting webhooks into a
// running emulator one by one copies its store each time.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseAllDocuments } from 'yaml';
import { startEmulator } from '../dist/adapters/emulator/index.js';
import { fileConfigSource, readConfig } from '../dist/adapters/fs/config-source.js';
import { LaunchDarklyClient } from '../dist/adapters/launchdarkly/client.js';
import { TOKEN_SHOWN } from '../dist/adapters/launchdarkly/redact.js';
import { createBody } from '../dist/core/plan/plan.js';
import { plan } from '../dist/engine/plan.js';
import { renderText } from '../dist/render/text.js';
import { writeConfigTree } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A full collection before each timed run, so that no run pays for the garbage of the one
// before it (a plan's garbage collected while the floor is timed, or the other way round).
v8.setFlagsFromString('--expose-gc');
export const collectGarbage = vm.runInNewContext('gc');

/** Runs one ldhooks command in a child process; its stderr ends with MAXRSS_KB=. */
export function runChild(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, 'plan-child.mjs'), ...args], {
      env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Peak memory of a child run, in MB. */
export const maxRssMb = (child) => Number(/MAXRSS_KB=(\d+)/.exec(child.stderr)?.[1]) / 1024;

const hexId = (i) => i.toString(16).padStart(24, '0');

/** The live webhooks of the scenario, as the emulator stores them. */
function liveWebhooks(desired) {
  const n = desired.length;
  const identical = n * 0.8;
  const differing = n * 0.15;
  const extra = n * 0.05;
  const out = [];
  for (const d of desired.slice(0, identical)) {
    const b = createBody(d);
    out.push({ name: b.name, url: b.url, on: b.on, tags: b.tags, statements: b.statements });
  }
  for (const d of desired.slice(identical, identical + differing)) {
    const b = createBody(d);
    out.push({ name: b.name, url: `${b.url}/old`, on: !b.on, tags: b.tags });
  }
  for (let k = 0; k < extra; k++) {
    out.push({ name: `stale-${k}`, url: 'https://stale.example.com', on: true, tags: ['managed-by-ldhooks'] });
  }
  return out.map((w, i) => ({ _id: hexId(i + 1), ...w }));
}

/**
 * Writes the config tree and starts an emulator holding the account. `expected` is the plan's
 * summary; `close` stops the emulator and removes the files.
 */
export async function planScenario(n, emulatorOptions = {}) {
  const root = await mkdtemp(path.join(tmpdir(), 'ldhooks-bench-plan-'));
  const dir = path.join(root, 'config');
  await writeConfigTree(dir, n, Math.ceil(n / 100));
  const config = await readConfig([dir], { env: {}, cwd: dir });
  const data = path.join(root, 'account.json');
  const account = { format: 'ldhooks-emulator', version: 1, webhooks: liveWebhooks(config.webhooks) };
  await writeFile(data, JSON.stringify(account));
  const emulator = await startEmulator({ data, ...emulatorOptions });
  return {
    dir,
    emulator,
    env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token },
    expected: { create: n * 0.05, update: n * 0.15, delete: n * 0.05, noop: n * 0.8 },
    async close() {
      await emulator.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * One plan in this process, as the CLI makes it: read and validate, list once, plan with the
 * access token among the values never to show, check the guards, render.
 */
export async function planOnce(scenario, client) {
  const { dir, emulator } = scenario;
  const run = await plan(fileConfigSource([dir], { env: {}, cwd: dir }), client, {
    maxDeletePercent: 25,
    env: {},
    secrets: [{ value: emulator.token, shown: TOKEN_SHOWN }],
  });
  renderText(run.plan);
  return run.plan.summary;
}

/**
 * The floor of reading a config: read and YAML-parse every file of `dir`, with synchronous calls,
 * as ldhooks reads them (the faster way).
 */
export function readAndParse(dir) {
  for (const f of readdirSync(dir).sort()) parseAllDocuments(readFileSync(path.join(dir, f), 'utf8'));
}

/** The floor of a plan: read and YAML-parse the same files, one list request, its JSON parse. */
export async function floorOnce(scenario) {
  const { dir, emulator } = scenario;
  readAndParse(dir);
  const res = await fetch(`${emulator.url}/api/v2/webhooks`, { headers: { Authorization: emulator.token } });
  JSON.parse(await res.text());
}

export function checkSummary(summary, expected) {
  for (const [k, v] of Object.entries(expected)) {
    if (summary[k] !== v) throw new Error(`unexpected plan ${JSON.stringify(summary)}, expected ${JSON.stringify(expected)}`);
  }
}

/**
 * Plan and floor timed in turns, so that load from elsewhere falls on both alike, each after a
 * full garbage collection; the first round warms up and is dropped. Medians in ms.
 */
export async function timePlanAndFloor(scenario, rounds, { floor = true } = {}) {
  const client = new LaunchDarklyClient({ baseUri: scenario.emulator.url, token: scenario.emulator.token });
  const plans = [];
  const floors = [];
  for (let r = 0; r <= rounds; r++) {
    collectGarbage();
    let t = performance.now();
    const summary = await planOnce(scenario, client);
    if (r > 0) plans.push(performance.now() - t);
    checkSummary(summary, scenario.expected);
    if (!floor) continue;
    collectGarbage();
    t = performance.now();
    await floorOnce(scenario);
    if (r > 0) floors.push(performance.now() - t);
  }
  return { plan: median(plans), floor: floor ? median(floors) : undefined };
}
