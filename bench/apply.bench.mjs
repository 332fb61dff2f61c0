// Sustained apply at LaunchDarkly's rate limits: `ldhooks apply` as users run it (a child
// process, default --parallelism 4) against the emulator over loopback HTTP, in real time, with
// short windows so that one run spans many of them.
// 2,000 writes: 300 patches and 300 deletes side by side (alternating names), then 1,400 creates.
// Limits: 100 requests per 1,000 ms window for the account (X-Ratelimit-Global-Remaining) and
// 70 per window on each route, a method and URL pattern (X-Ratelimit-Route-Remaining). So the
// patches and deletes together are held by the global limit (100 per window, each route 50 of
// its 70), the creates by the POST route's (70): the best possible run takes
// 600 / 100 + 1,400 / 70 = 26 windows. "rate / limit" is the writes made in the whole windows
// at one limit against what that limit allows (see below).
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
    const limited = emulator.requests.filter((r) => r.status === 429).length;

    // The rate in the steady state: the emulator's windows follow one another from its first
    // request (the list), so every write falls in a numbered window. The first and the last
    // window of the writes are partly idle (the plan before, nothing after), and the one where
    // the creates take over from the patches and deletes has two limits: those are left out. In
    // every other window the limit is known: 100 writes for patches and deletes, 70 for creates.
    const origin = emulator.requests[0].at;
    const windows = new Map();
    for (const w of writes) {
      const k = Math.floor((w.at - origin) / WINDOW_MS);
      const seen = windows.get(k) ?? { writes: 0, kinds: new Set() };
      seen.writes += 1;
      seen.kinds.add(w.method === 'POST' ? 'create' : 'patch-delete');
      windows.set(k, seen);
    }
    const keys = [...windows.keys()].sort((a, b) => a - b);
    let done = 0;
    let capacity = 0;
    let counted = 0;
    for (let k = keys[0] + 1; k < keys.at(-1); k++) {
      const seen = windows.get(k) ?? { writes: 0, kinds: new Set() };
      if (seen.kinds.size > 1) continue;
      // A window with no write at all was a stall: it counts against the rate, at the lower limit.
      const limit = seen.kinds.has('patch-delete') ? GLOBAL_LIMIT : ROUTE_LIMIT;
      done += seen.writes;
      capacity += limit;
      counted += 1;
    }

    report('apply: writes (300 patches + 300 deletes, then 1,400 creates)', patches + deletes + creates, 'req', { min: 2000 });
    report(`apply: windows spanned (${WINDOW_MS} ms each)`, span / WINDOW_MS, 'win', { min: 10 });
    report('apply: writes per second, first write to last', ((writes.length - 1) / span) * 1000, '/s', {});
    report('apply: whole windows at one limit, counted below', counted, 'win', { min: 10 });
    report(`apply: rate / limit in them (global ${GLOBAL_LIMIT}, route ${ROUTE_LIMIT} per window)`, (done / capacity) * 100, '%', { min: 90 });
    report('apply: 429 responses met', limited, 'resp', { max: 0 });
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
