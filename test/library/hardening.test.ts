import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  apply,
  type ConfigReadResult,
  type ConfigSource,
  checkGuards,
  type Emulator,
  fileConfigSource,
  LaunchDarklyClient,
  loadConfig,
  Masker,
  type PlanRun,
  plan,
  readConfig,
  renderJson,
  renderText,
  startEmulator,
} from '../../src/index.js';

const TOKEN = 'tok-hardening-SECRET-51c2';
const PROJ = 'projkey-hardening-77e1';
const HOOK_URL = 'https://hooks.example.com/services/T-hard-9b/x';
const ENV = { PROJ, HOOK_URL };

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator({ token: TOKEN });
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-library-hardening-'));
  await mkdir(path.join(dir, 'webhooks'));
  await writeFile(
    path.join(dir, 'webhooks/hooks.yaml'),
    'version: 1\nwebhooks:\n  - name: slack\n    url: ${HOOK_URL}\n    statements:\n      - { effect: allow, resources: ["proj/${PROJ}:env/production:flag/*"], actions: ["*"] }\n',
  );
});
afterEach(async () => {
  await emulator.close();
});

const client = () => new LaunchDarklyClient({ baseUri: emulator.url, token: TOKEN });

/** Twelve managed webhooks that the config does not declare: a plan deletes them all. */
async function twelveToDelete(): Promise<ConfigReadResult> {
  for (let i = 0; i < 12; i++) {
    await client().create(
      {
        name: `g-${i}`,
        url: `https://g.example.com/${i}`,
        on: true,
        sign: false,
        tags: ['managed-by-g12'],
      },
      'managed-by-g12',
    );
  }
  await writeFile(
    path.join(dir, 'g12.yaml'),
    'version: 1\nownerTag: managed-by-g12\nwebhooks:\n  - name: g-0\n    url: https://g.example.com/0\n',
  );
  return loadConfig('g12.yaml', { cwd: dir, env: {} });
}

describe('library options: a mistake throws at the entry, never a default in its place', () => {
  it.each([
    [{ maxDeletePercent: 'x' }, TypeError],
    [{ maxDeletePercent: '25' }, TypeError],
    [{ maxDeletePercent: null }, TypeError],
    [{ maxDeletePercent: Number.NaN }, RangeError],
    [{ maxDeletePercent: -1 }, RangeError],
    [{ maxDeletePercent: 1000 }, RangeError],
    [{ maxDeletePercent: Number.POSITIVE_INFINITY }, RangeError],
    [{ allowDeleteAll: 'false' }, TypeError],
    [{ adopt: 1 }, TypeError],
    [{ targets: 'g-1' }, TypeError],
    [{ takeoverFrom: [1] }, TypeError],
    [{ env: 'PROJ=x' }, TypeError],
    [{ env: { PROJ: 5 } }, TypeError],
    [{ secrets: ['x'] }, TypeError],
    [{ maxDeletePrecent: 10 }, TypeError],
  ])('plan refuses %j, naming the option, before any request', async (options, kind) => {
    const config = await twelveToDelete();
    emulator.resetLog();
    const error = await plan(config, client(), options as never).catch((e) => e);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(/^plan: (options\.\w+|unknown option)/);
    expect(emulator.requests).toEqual([]);
  });

  it('plan with valid options still refuses 11 deletions of 12 by default', async () => {
    const config = await twelveToDelete();
    for (const options of [{}, { maxDeletePercent: undefined }, { maxDeletePercent: 25 }]) {
      const run = await plan(config, client(), options);
      expect(run.plan.summary.delete).toBe(11);
      expect(run.refusal?.guard).toBe('max-delete-percent');
    }
  });

  it('the guard itself fails closed on a threshold that is not a number', async () => {
    const config = await twelveToDelete();
    const run = await plan(config, client(), { maxDeletePercent: 100 });
    for (const threshold of [Number.NaN, 'x', undefined]) {
      const refusal = checkGuards(run.plan, {
        maxDeletePercent: threshold as number,
        allowDeleteAll: false,
        declared: 1,
      });
      expect(refusal?.guard).toBe('max-delete-percent');
    }
  });

  it.each([
    [{ parallelism: 0 }, RangeError],
    [{ parallelism: -1 }, RangeError],
    [{ parallelism: Number.NaN }, RangeError],
    [{ parallelism: 1.5 }, RangeError],
    [{ parallelism: 65 }, RangeError],
    [{ parallelism: '4' }, TypeError],
    [{ masker: {} }, TypeError],
    [{ onResult: 'log' }, TypeError],
    [{ paralelism: 2 }, TypeError],
  ])('apply refuses %j before any request', async (options, kind) => {
    const config = await twelveToDelete();
    const run = await plan(config, client(), { maxDeletePercent: 100 });
    emulator.resetLog();
    const error = await apply(client(), run, options as never).catch((e) => e);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(/^apply: (options\.\w+|unknown option)/);
    expect(emulator.requests).toEqual([]);
  });

  it('the arguments in the wrong order, or missing, are a TypeError that says so', async () => {
    const config = await loadConfig('webhooks', { cwd: dir, env: ENV });
    const run = await plan(config, client());
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['plan(client, config)', () => plan(client() as never, config as never), /^plan: config/],
      ['plan(null, client)', () => plan(null as never, client()), /^plan: config/],
      ['plan(config, {})', () => plan(config, {} as never), /^plan: webhooks/],
      ['apply(run, client)', () => apply(run as never, client() as never), /^apply: webhooks/],
      ['apply(client, {})', () => apply(client(), {} as never), /^apply: planned/],
    ];
    for (const [what, call, message] of cases) {
      const error = await call().catch((e) => e);
      expect(error, what).toBeInstanceOf(TypeError);
      expect((error as Error).message, what).toMatch(message);
    }
  });

  it('loadConfig and readConfig refuse paths that are not paths, rather than read the working directory', async () => {
    for (const call of [
      () => loadConfig(123 as never),
      () => loadConfig({ paths: 5 } as never),
      () => loadConfig('webhooks', { paths: 'other' } as never),
      () => loadConfig({ cwd: 7 } as never),
      () => readConfig('webhooks' as never, { cwd: dir, env: ENV }),
      () => readConfig(['webhooks'], { cwd: dir } as never),
      async () => fileConfigSource([3] as never, { cwd: dir, env: ENV }),
    ]) {
      const error = await call().catch((e) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^(loadConfig|readConfig|fileConfigSource): /);
    }
  });
});

describe('plan masks with the environment the config was read with, whichever entry read it', () => {
  const other = { PROJ: 'another-value', HOOK_URL: 'https://elsewhere.example.com/' };
  const entries: [string, () => Promise<ConfigReadResult | ConfigSource>][] = [
    ['loadConfig', () => loadConfig('webhooks', { cwd: dir, env: ENV })],
    ['readConfig', () => readConfig(['webhooks'], { cwd: dir, env: ENV })],
    ['fileConfigSource', async () => fileConfigSource(['webhooks'], { cwd: dir, env: ENV })],
  ];
  for (const [entry, read] of entries) {
    for (const [given, options] of [
      ['no env option', {}],
      ['another env given', { env: other }],
    ] as const) {
      it(`${entry}, ${given}`, async () => {
        // A live webhook of ours holding the project key where the config does not declare it.
        await client().create(
          {
            name: 'slack',
            url: 'https://other.example.com/',
            on: true,
            sign: false,
            tags: ['managed-by-ldhooks'],
            statements: [
              { effect: 'allow', resources: [`proj/${PROJ}:env/test:flag/*`], actions: ['*'] },
            ],
          },
          'managed-by-ldhooks',
        );
        expect(process.env.PROJ).toBeUndefined();
        const run = await plan(await read(), client(), options);
        const shown = [renderText(run.plan), renderJson(run.plan, '0'), JSON.stringify(run.plan)];
        for (const text of shown) {
          expect(text).toContain('proj/${PROJ}:env/test:flag/*');
          expect(text).not.toContain(PROJ);
        }
      });
    }
  }
});

describe('serialization never shows the token or a sensitive value', () => {
  it('of a client, a masker, and every error the library throws', async () => {
    const launchDarkly = client();
    const config = await loadConfig('webhooks', { cwd: dir, env: ENV });
    const run: PlanRun = await plan(config, launchDarkly);
    const masker = new Masker([{ value: PROJ, shown: '${PROJ}' }]);
    const errors: unknown[] = [
      await loadConfig('webhooks', { cwd: dir, env: { HOOK_URL: `${HOOK_URL}\n` } }).catch(
        (e) => e,
      ),
    ];
    try {
      new LaunchDarklyClient({ baseUri: emulator.url, token: `${TOKEN} x` });
    } catch (e) {
      errors.push(e);
    }
    emulator.inject({ kind: 'echo', method: 'GET', status: 400 });
    errors.push(await plan(config, launchDarkly).catch((e) => e));
    const bad = new LaunchDarklyClient({ baseUri: 'http://127.0.0.1:1', token: TOKEN, retries: 0 });
    errors.push(await bad.list().catch((e) => e));
    errors.push(await apply(launchDarkly, run, { parallelism: 0 }).catch((e) => e));
    for (const [what, value] of [
      ['client', launchDarkly],
      ['masker', masker],
      ['run.masker', run.masker],
      ...errors.map((e, i) => [`error ${i}`, e] as const),
    ] as const) {
      for (const text of [
        JSON.stringify(value) ?? '',
        util.inspect(value, { depth: 10, showHidden: true }),
        String(value),
      ]) {
        for (const secret of [TOKEN, PROJ, HOOK_URL]) expect(text, what).not.toContain(secret);
      }
    }
    expect(JSON.parse(JSON.stringify(launchDarkly))).toEqual({
      baseUri: emulator.url,
      token: '(sensitive)',
    });
    expect(util.inspect(launchDarkly)).toContain('(sensitive)');
  });
});
