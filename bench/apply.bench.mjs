// Sustained apply at LaunchDarkly's rate limits: `ldhooks apply` as users run it (a child
// process, default --parallelism 4) against the emulator over loopback HTTP, in real time, with
// short windows so that one run spans many of them.
// 2,000 writes: 300 patches and 300 deletes side by side (alternating names), then 1,400 creates.
// Limits: 100 requests per 1,000 ms window for the account (X-Ratelimit-Global-Remaining) and
// 70 per window on each route, a method and URL pattern (X-Ratelimit-Route-Remaining). So the
// patches and deletes together are held by the global limit (100 per window, each route 50 of
// its 70), the creates by the POST route's (70): the best possible run takes
// 600 / 100 + 1,400 / 70 = 26 windows, and "rate / limit" is that ideal over the time taken.
// The limits are well below what this machine serves without any (about 130 patches and deletes
// and 250 creates per second, measured while loaded), so that the figure is the pacing's.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../dist/adapters/emulator/index.js';
import { webhookName, webhookYaml } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const WINDOW_MS = 1000;
const GLOBAL_LIMIT = 100;
const ROUTE_LIMIT = 70;
const EXISTING = 600; // even ones patched, odd ones deleted
const CREATES = 1400;

function runApply(dir, env) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(here, 'plan-child.mjs'), 'apply', dir, '--auto-approve', '--max-delete-percent', '100'],
      { env: { ...process.env, ...env } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

export async function run(report) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-bench-apply-'));
  const emulator = await startEmulator({ rateLimit: GLOBAL_LIMIT, routeRateLimit: ROUTE_LIMIT, windowMs: WINDOW_MS });
  try {
    const declared = [];
    for (let i = 0; i < EXISTING; i++) {
      emulator.store.put({
        _id: (i + 1).toString(16).padStart(24, '0'),
        name: webhookName(i),
        url: `https://hooks.example.com/launchdarkly/${i}/old`,
        on: true,
        tags: ['managed-by-ldhooks'],
      });
      if (i % 2 === 0) declared.push(i);
    }
    for (let i = EXISTING; i < EXISTING + CREATES; i++) declared.push(i);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'hooks.yaml'), ['version: 1', 'webhooks:', ...declared.map(webhookYaml)].join('\n'));

    const child = await runApply(dir, { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token });
    if (child.code !== 0) throw new Error(`apply failed (exit ${child.code}): ${child.stderr}`);
    const count = (method) => emulator.requests.filter((r) => r.method === method && r.status !== 429).length;
    const writes = emulator.requests.filter((r) => r.method !== 'GET');
    const [patches, deletes, creates] = [count('PATCH'), count('DELETE'), count('POST')];
    if (patches !== EXISTING / 2 || deletes !== EXISTING / 2 || creates !== CREATES)
      throw new Error(`unexpected writes: ${patches} patches, ${deletes} deletes, ${creates} creates`);
    const span = writes.at(-1).at - writes[0].at;
    const ideal = (patches + deletes) / GLOBAL_LIMIT + creates / ROUTE_LIMIT; // in windows
    const limited = emulator.requests.filter((r) => r.status === 429).length;

    report('apply: writes (300 patches + 300 deletes, then 1,400 creates)', patches + deletes + creates, 'req', { min: 2000 });
    report(`apply: windows spanned (${WINDOW_MS} ms each)`, span / WINDOW_MS, 'win', { min: 10 });
    report('apply: writes per second achieved', ((writes.length - 1) / span) * 1000, '/s', {});
    report(`apply: rate / limit (global ${GLOBAL_LIMIT}, each route ${ROUTE_LIMIT} per window)`, (ideal / (span / WINDOW_MS)) * 100, '%', { min: 90 });
    report('apply: 429 responses met', limited, 'resp', { max: 0 });
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
