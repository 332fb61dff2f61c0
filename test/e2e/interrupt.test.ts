import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { CLI, ROOT, runCli, startCliInProcess } from '../support/cli.js';
import { until } from '../support/clock.js';
import { SPAWN_TIMEOUT_MS } from '../support/timeouts.js';

let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-interrupt-'));
});
afterEach(() => emulator.close());

const env = () => ({ LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token });

async function hooks(n: number) {
  const list = Array.from(
    { length: n },
    (_, i) => `  - { name: hook-${String(i).padStart(2, '0')}, url: "https://h.example.com/${i}" }`,
  );
  await writeFile(path.join(dir, 'hooks.yaml'), `version: 1\nwebhooks:\n${list.join('\n')}\n`);
}

const posts = () => emulator.requests.filter((r) => r.method === 'POST').length;

/** Starts an apply of 5 creates whose second POST is slow, and waits until it is in flight. */
async function applyWithOneInFlight(exit?: (code: number) => void) {
  await hooks(5);
  // Real time only makes the in-flight POST slower; no assertion depends on how long it takes.
  emulator.inject({ kind: 'delay', delayMs: 300, method: 'POST', after: 1 });
  const running = startCliInProcess(['apply', '--auto-approve', '--parallelism', '1'], {
    cwd: dir,
    env: env(),
    ...(exit ? { exit } : {}),
  });
  await until(() => posts() === 2);
  return running;
}

describe('SIGINT and SIGTERM during apply', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s: starts nothing new, finishes what is in flight, reports, exits %i; a re-run converges',
    async (signal, code) => {
      const running = await applyWithOneInFlight();
      const r = await running.stop(signal);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(
        `${signal}: starting no more operations; those in flight finish. Send it again to stop at once.`,
      );
      // The POST in flight finished: two created, three never started.
      expect(r.stdout.match(/^\+ created hook-\d\d /gm)).toHaveLength(2);
      expect(emulator.store.all()).toHaveLength(2);
      expect(posts()).toBe(2);
      expect(r.stderr).toContain(
        `Apply stopped by ${signal}: 2 created, 0 updated, 0 deleted; 0 failed.`,
      );
      expect(r.stderr).toContain(
        'Not started (3):\n  create hook-02\n  create hook-03\n  create hook-04\n',
      );
      expect(r.stderr).toContain('Run ldhooks apply again to finish');

      const rerun = await runCli(['apply', '--auto-approve'], { cwd: dir, env: env() });
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toContain('Apply complete: 3 created, 0 updated, 0 deleted.');
      expect(emulator.store.all()).toHaveLength(5);
    },
  );

  it('a signal during the check after the creates says everything was done', async () => {
    await hooks(2);
    emulator.inject({ kind: 'delay', delayMs: 300, method: 'GET', after: 1 });
    const running = startCliInProcess(['apply', '--auto-approve'], { cwd: dir, env: env() });
    await until(() => emulator.requests.filter((r) => r.method === 'GET').length === 2);
    const r = await running.stop('SIGTERM');
    expect(r.code).toBe(143);
    expect(r.stderr).toContain(
      'Apply stopped by SIGTERM after every operation had started: 2 created, 0 updated, 0 deleted; 0 failed.',
    );
    expect(r.stderr).not.toContain('Run ldhooks apply again');
  });

  it('a second signal stops at once', async () => {
    const exit = vi.fn();
    const running = await applyWithOneInFlight(exit);
    running.stop('SIGINT');
    running.stop('SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    expect(running.output().stderr).toContain('SIGINT again: stopping at once.');
    await running.done();
  });
});

/** The built CLI applying with its output read by nobody: the reader closed before it wrote. */
async function applyUnread(): Promise<number | null> {
  const child = spawn(process.execPath, [CLI, 'apply', dir, '--auto-approve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // As `ldhooks apply | head -0` would.
  child.stdout.destroy();
  return new Promise((resolve) => child.on('close', resolve));
}

describe('apply whose reader goes away', () => {
  it(
    'finishes its work and says so in its exit code, even when nobody reads its output',
    async () => {
      await hooks(40);
      expect(await applyUnread()).toBe(0);
      expect(emulator.store.all()).toHaveLength(40);

      emulator.inject({ kind: 'status', status: 400, method: 'POST' });
      await hooks(41);
      expect(await applyUnread()).toBe(1);
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('two applies at the same time', () => {
  const names = () =>
    emulator.store
      .all()
      .map((h) => h.name)
      .sort();

  it('end with one webhook per name, both succeeding, and a later plan finds nothing to do', async () => {
    await hooks(6);
    const run = () =>
      startCliInProcess(['apply', '--auto-approve', '--parallelism', '3'], {
        cwd: dir,
        env: env(),
      });
    // Slow creates, so that both runs list the account before either's creates land (real time
    // only makes them slower; the assertions below hold whichever way the runs interleave).
    emulator.inject({ kind: 'delay', delayMs: 1000, method: 'POST', count: 12 });
    const [a, b] = await Promise.all([run().done(), run().done()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const created = posts();
    expect(created).toBeGreaterThanOrEqual(6);
    expect(created).toBeLessThanOrEqual(12);
    // Each webhook both runs created was found by the verification re-list and resolved.
    const removed = `${a.stdout}${b.stdout}`.match(
      /an identical copy another run created at the same time/g,
    );
    expect(removed?.length ?? 0).toBeGreaterThanOrEqual(created - 6);
    expect(names()).toEqual(['hook-00', 'hook-01', 'hook-02', 'hook-03', 'hook-04', 'hook-05']);
    const again = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env: env() });
    expect(again.code).toBe(0);
  });

  it('resolve copies that differ only in the secret each generated (sign: true without one)', async () => {
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      'version: 1\nwebhooks:\n  - { name: signed, url: "https://s.example.com", sign: true }\n',
    );
    const run = () =>
      startCliInProcess(['apply', '--auto-approve'], { cwd: dir, env: env() }).done();
    const [a, b] = await Promise.all([run(), run()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(names()).toEqual(['signed']);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env: env() })).code).toBe(0);
  });

  it('apply one saved plan at most once in effect, whichever job comes second', async () => {
    await hooks(4);
    expect((await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env: env() })).code).toBe(0);
    const run = () =>
      startCliInProcess(['apply', '--plan', 'plan.json'], { cwd: dir, env: env() }).done();
    const results = await Promise.all([run(), run()]);
    for (const r of results) expect([0, 3]).toContain(r.code);
    expect(names()).toEqual(['hook-00', 'hook-01', 'hook-02', 'hook-03']);
    const late = await runCli(['apply', '--plan', 'plan.json'], { cwd: dir, env: env() });
    expect(late.code).toBe(3);
    expect(names()).toHaveLength(4);
  });

  it('a later plan is never stuck on copies ldhooks made: it removes them', async () => {
    await hooks(1);
    expect((await runCli(['apply', '--auto-approve'], { cwd: dir, env: env() })).code).toBe(0);
    const [original] = emulator.store.all();
    if (!original) throw new Error('no webhook');
    emulator.store.put({ ...original, _id: 'f'.repeat(24) });
    const planned = await runCli(['plan'], { cwd: dir, env: env() });
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(
      `- hook-00 (${'f'.repeat(24)}) will be deleted: an identical copy of another webhook of this name`,
    );
    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir, env: env() });
    expect(applied.code).toBe(0);
    expect(emulator.store.all().map((h) => h._id)).toEqual([original._id]);
  });
});
