import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  EMULATOR_RANGES,
  type Emulator,
  type EmulatorOptions,
  startEmulator,
} from '../../src/adapters/emulator/index.js';
import { runCli } from '../support/cli.js';
import { type FakeClock, fakeClock } from '../support/clock.js';
import { countFetches } from '../support/fetches.js';

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

const WINDOW_MS = 10_000;
const MARKER = 'managed-by-ldhooks';

/** A webhook as the config declares it and as the emulator would hold it. */
const hook = (i: number) => ({
  name: `hook-${String(i).padStart(4, '0')}`,
  url: `https://hooks.example.com/${i}`,
});

/**
 * An emulator and an apply sharing one fake clock that stands still while a request is in
 * flight: windows of ten seconds cost no real time, and every request lands at the virtual time
 * the client sent it.
 */
async function setUp(
  options: EmulatorOptions,
  windowMs = WINDOW_MS,
): Promise<{ emulator: Emulator; clock: FakeClock }> {
  const fetches = countFetches();
  onTestFinished(fetches.restore);
  const clock = fakeClock({ start: 1_700_000_000_000, busy: () => fetches.inFlight() > 0 });
  const emulator = await startEmulator({ ...options, windowMs, clock });
  running.push(emulator);
  return { emulator, clock };
}

async function applyConfig(emulator: Emulator, clock: FakeClock, names: number[]) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-e2e-rate-'));
  const lines = ['version: 1', 'webhooks:'];
  for (const i of names) {
    const h = hook(i);
    lines.push(`  - name: ${h.name}`, `    url: ${h.url}`);
  }
  await writeFile(path.join(dir, 'hooks.yaml'), `${lines.join('\n')}\n`);
  // Deleting half the managed webhooks is the point here, not a mistake to guard against.
  return runCli(['apply', '--auto-approve', '--parallelism', '4', '--max-delete-percent', '100'], {
    cwd: dir,
    env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token },
    clock,
  });
}

/** Requests per second of virtual time over the whole run, as a fraction of `perWindow`. */
function usage(emulator: Emulator, perWindow: number, filter = (_: { method: string }) => true) {
  const sent = emulator.requests.filter(filter);
  const first = sent[0]?.at ?? 0;
  const last = sent.at(-1)?.at ?? 0;
  // n requests take n - 1 steps; a full window holds perWindow of them.
  return ((sent.length - 1) / (last - first)) * (WINDOW_MS / perWindow);
}

/** The gaps between requests one after another, in ms of virtual time. */
const gaps = (emulator: Emulator) =>
  emulator.requests.slice(1).map((r, i) => r.at - (emulator.requests[i]?.at ?? r.at));

describe('apply under LaunchDarkly rate limits, over several windows', () => {
  it('creates at the global limit without a 429, spread through each window', async () => {
    const { emulator, clock } = await setUp({ rateLimit: 20 });
    const applied = await applyConfig(
      emulator,
      clock,
      Array.from({ length: 200 }, (_, i) => i),
    );
    // No 429 to retry, and never a stall worth telling.
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(emulator.store.all()).toHaveLength(200);
    expect(emulator.counts()).toEqual({ GET: 2, POST: 200 });
    expect(emulator.requests.filter((r) => r.status !== 200)).toEqual([]);
    const span = (emulator.requests.at(-1)?.at ?? 0) - (emulator.requests[0]?.at ?? 0);
    expect(span / WINDOW_MS).toBeGreaterThanOrEqual(10);
    expect(usage(emulator, 20)).toBeGreaterThanOrEqual(0.9);
    // One request every 500 ms (20 per 10 s), give or take the jitter after each reset: neither
    // a burst nor a stall.
    for (const gap of gaps(emulator)) {
      expect(gap).toBeGreaterThanOrEqual(400);
      expect(gap).toBeLessThanOrEqual(600);
    }
  });

  it("keeps each route under its own limit, and reads are not held to a write route's pace", async () => {
    const { emulator, clock } = await setUp({ rateLimit: 40, routeRateLimit: 10 });
    // 40 webhooks to patch (their URL changed), 40 to delete, and 80 to create: each write
    // route is limited to 10 per window, below the global 40.
    for (let i = 0; i < 80; i++) {
      const h = hook(i);
      emulator.store.put({
        _id: i.toString(16).padStart(24, '0'),
        name: h.name,
        url: i < 40 ? `${h.url}/old` : h.url,
        on: true,
        tags: [MARKER],
      });
    }
    const declared = [
      ...Array.from({ length: 40 }, (_, i) => i),
      ...Array.from({ length: 80 }, (_, i) => 100 + i),
    ];
    const applied = await applyConfig(emulator, clock, declared);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(emulator.counts()).toEqual({ GET: 2, PATCH: 40, DELETE: 40, POST: 80 });
    expect(emulator.requests.filter((r) => r.status === 429)).toEqual([]);
    for (const method of ['PATCH', 'DELETE', 'POST']) {
      expect(usage(emulator, 10, (r) => r.method === method)).toBeGreaterThanOrEqual(0.9);
    }
    // The closing re-list goes at the global pace (40 per window), not the POST route's (10).
    expect(gaps(emulator).at(-1)).toBeLessThan(WINDOW_MS / 10);
  });

  it('waits out the longest window the emulator takes, without a 429 or a false complaint', async () => {
    const longest = EMULATOR_RANGES.windowMs.max;
    const { emulator, clock } = await setUp({ rateLimit: 3 }, longest);
    const applied = await applyConfig(
      emulator,
      clock,
      Array.from({ length: 10 }, (_, i) => i),
    );
    expect(applied.code).toBe(0);
    expect(applied.stderr).not.toMatch(/asking again|promised|429/);
    expect(emulator.counts()).toEqual({ GET: 2, POST: 10 });
    expect(emulator.requests.filter((r) => r.status === 429)).toEqual([]);
    const span = (emulator.requests.at(-1)?.at ?? 0) - (emulator.requests[0]?.at ?? 0);
    expect(span / longest).toBeGreaterThanOrEqual(3);
  });
});
