import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import {
  EXAMPLE,
  EXAMPLE_CONFIG,
  EXAMPLE_ENV,
  expectExampleOutput,
} from '../support/library-example.js';
import { ROOT } from '../support/paths.js';
import { type RunResult, run } from '../support/run.js';
import { SPAWN_TIMEOUT_MS } from '../support/timeouts.js';

// The package as a user gets it: packed once, installed once into a new project outside this
// checkout, the README's way (the tarball committed in the project, under vendor/), then used
// only through what the install put in node_modules, by the names the README gives (npx
// ldhooks, import from 'ldhooks' and 'ldhooks/emulator').

/** Packing and installing start npm several times: room for a loaded machine. */
const SETUP_TIMEOUT_MS = 4 * SPAWN_TIMEOUT_MS;

/**
 * npm settings a machine may give in its environment that the new project needs too: where the
 * cache is, and how to reach a registry. Every other npm_* variable that `npm test` sets
 * describes this checkout (its prefix, its package.json, the running script), not the project.
 */
const KEPT_NPM_SETTINGS =
  /^npm_config_(cache|registry|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;

/**
 * The environment of every npm, npx and node started here: this process's, with only those npm
 * settings, no LaunchDarkly settings, offline (the packages come from the cache `npm ci`
 * filled), and never in colour.
 */
const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => (!/^npm_/i.test(k) || KEPT_NPM_SETTINGS.test(k)) && !/^(LD|LAUNCHDARKLY)_/.test(k),
    ),
  ),
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
  NO_COLOR: '1',
  ...extra,
});

/** npm's own complaint about this machine's user config, which no package causes. */
const MACHINE_NOTICE = /^npm warn Unknown user config /i;

let work: string;
let project: string;
let tarball: string;
let install: RunResult;
let emulator: ChildProcess | undefined;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ldhooks-package-'));
  // dist/ was built by npm test; --ignore-scripts keeps prepack from rebuilding it under the
  // other test files that run it at the same time.
  const pack = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
    { cwd: ROOT, env: childEnv() },
  );
  expect(pack.code, pack.stderr).toBe(0);
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }];
  tarball = filename;

  project = path.join(work, 'project');
  await mkdir(path.join(project, 'webhooks'), { recursive: true });
  // As the README says: the tarball inside the project, installed by a relative path, so that
  // package.json and the lockfile name a file every clone has.
  await mkdir(path.join(project, 'vendor'));
  await copyFile(path.join(work, filename), path.join(project, 'vendor', filename));
  await writeFile(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'team-webhooks', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  await writeFile(path.join(project, 'webhooks/hooks.yaml'), EXAMPLE_CONFIG);
  const args = ['install', '-D', '--no-audit', '--no-fund', `./vendor/${filename}`];
  install = await run('npm', [...args, '--offline'], { cwd: project, env: childEnv() });
  if (install.code !== 0 && /ENOTCACHED/.test(install.stderr)) {
    // A cache without some dependency: fetch what is missing, where the registry is reachable.
    install = await run('npm', [...args, '--prefer-offline'], {
      cwd: project,
      env: childEnv({ npm_config_offline: 'false' }),
    });
  }
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  // Only after a failed test is the emulator still running.
  if (emulator) {
    const stopped = new Promise((resolve) => emulator?.once('close', resolve));
    emulator.kill('SIGINT');
    await stopped;
  }
  // The installed project holds a copy of every dependency: leave nothing behind.
  if (work) await rm(work, { recursive: true, force: true });
});

const npx = (args: string[], env: Record<string, string> = {}) =>
  run('npx', ['ldhooks', ...args], { cwd: project, env: childEnv(env) });

/**
 * The command npx runs, started directly: each npx first starts npm, a second or more of CPU
 * on a loaded machine, so after --version and --help have shown that npx finds it, the
 * longer runs skip that.
 */
const ldhooks = (args: string[], env: Record<string, string> = {}) =>
  run(path.join(project, 'node_modules/.bin/ldhooks'), args, { cwd: project, env: childEnv(env) });

describe('the package installed into a new project', () => {
  it('installs from the tarball with no warning and no install script', async () => {
    expect(install.code, install.stderr).toBe(0);
    const warnings = `${install.stdout}\n${install.stderr}`
      .split('\n')
      .filter((line) => /\b(warn|error)\b/i.test(line) && !MACHINE_NOTICE.test(line));
    expect(warnings).toEqual([]);
    // npm marks every package that has an install script (or a binding.gyp) in the lockfile.
    const lock = JSON.parse(await readFile(path.join(project, 'package-lock.json'), 'utf8'));
    const scripted = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([, p]) => p.hasInstallScript)
      .map(([name]) => name);
    expect(scripted).toEqual([]);
    expect(Object.keys(lock.packages)).toContain('node_modules/ldhooks');
    const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8'));
    expect(manifest.devDependencies.ldhooks).toBe(`file:vendor/${tarball}`);
    expect(tarball).toBe(`ldhooks-${VERSION}.tgz`);
  });

  it(
    'installs again with npm ci in a fresh clone of the project: package.json, the lockfile, vendor/',
    async () => {
      // Elsewhere, at another depth, as a CI runner's checkout is: only what the clone holds.
      const clone = path.join(work, 'elsewhere/ci/clone');
      await mkdir(path.join(clone, 'vendor'), { recursive: true });
      for (const file of ['package.json', 'package-lock.json', `vendor/${tarball}`])
        await copyFile(path.join(project, file), path.join(clone, file));
      const ci = await run('npm', ['ci', '--no-audit', '--no-fund', '--offline'], {
        cwd: clone,
        env: childEnv(),
      });
      expect(ci.code, ci.stderr).toBe(0);
      const version = await run(path.join(clone, 'node_modules/.bin/ldhooks'), ['--version'], {
        cwd: clone,
        env: childEnv(),
      });
      expect(version.stdout).toBe(`${VERSION}\n`);
    },
    SETUP_TIMEOUT_MS,
  );

  it('holds the built code, the schemas, the docs and the licence, with usable source maps', async () => {
    const installed = path.join(project, 'node_modules/ldhooks');
    expect((await readdir(installed)).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist',
      'package.json',
      'schemas',
    ]);
    // A map whose sources are not in the package would make a bundler or debugger warn: each
    // carries its sources.
    const maps = (await readdir(path.join(installed, 'dist'), { recursive: true })).filter((f) =>
      f.endsWith('.js.map'),
    );
    expect(maps.length).toBeGreaterThan(50);
    for (const map of maps) {
      const parsed = JSON.parse(await readFile(path.join(installed, 'dist', map), 'utf8'));
      expect(parsed.sourcesContent?.length, map).toBe(parsed.sources.length);
    }
  });

  it(
    'runs npx ldhooks --version and --help',
    async () => {
      const version = await npx(['--version']);
      expect(version.stdout).toBe(`${VERSION}\n`);
      expect(version.code).toBe(0);
      const help = await npx(['--help']);
      for (const command of ['validate', 'plan', 'apply', 'import', 'emulator', 'schema'])
        expect(help.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
      expect(help.code).toBe(0);
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    "validates, plans and applies with the installed ldhooks against the installed package's emulator",
    async () => {
      const started = spawn(
        path.join(project, 'node_modules/.bin/ldhooks'),
        ['emulator', '--port', '0'],
        { cwd: project, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      emulator = started;
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        started.stdout?.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1] as string);
        });
        started.on('error', reject);
        started.on('close', (code) =>
          reject(new Error(`the emulator exited with ${code}: ${out}`)),
        );
      });
      const env = { ...EXAMPLE_ENV, LD_BASE_URI: url, LD_ACCESS_TOKEN: 'ldhooks-emulator-token' };
      const steps: [string[], number, RegExp][] = [
        [['validate', 'webhooks/'], 0, /^1 file, 2 webhooks, valid$/m],
        [['plan', 'webhooks/'], 0, /^Plan: 2 to create, 0 to update, 0 to delete/m],
        [
          ['apply', 'webhooks/', '--auto-approve'],
          0,
          /^Apply complete: 2 created, 0 updated, 0 deleted\.$/m,
        ],
        [['plan', 'webhooks/', '--detailed-exitcode'], 0, /^No changes\./m],
      ];
      for (const [args, code, expected] of steps) {
        const r = await ldhooks(args, env);
        expect(r.stdout, `ldhooks ${args.join(' ')}: ${r.stderr}`).toMatch(expected);
        expect(r.code, `ldhooks ${args.join(' ')}`).toBe(code);
        for (const value of Object.values(EXAMPLE_ENV)) {
          expect(r.stdout).not.toContain(value);
          expect(r.stderr).not.toContain(value);
        }
      }
      const stopped = new Promise((resolve) => started.once('close', resolve));
      started.kill('SIGINT');
      await stopped;
      emulator = undefined;
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    "imports every entry point by the README's names",
    async () => {
      const script = `
import { createRequire } from 'node:module';
import * as library from 'ldhooks';
import * as emulator from 'ldhooks/emulator';
const require = createRequire(import.meta.url);
const schema = require('ldhooks/schemas/ldhooks.schema.json');
const planSchema = require('ldhooks/schemas/plan.schema.json');
const { version } = require('ldhooks/package.json');
const kinds = (m, names) => Object.fromEntries(names.map((n) => [n, typeof m[n]]));
console.log(JSON.stringify({
  library: kinds(library, ['plan', 'apply', 'loadConfig', 'verifySignature', 'startEmulator', 'renderText', 'LaunchDarklyClient']),
  emulator: kinds(emulator, ['startEmulator']),
  same: library.startEmulator === emulator.startEmulator,
  schemas: [schema.$schema, planSchema.$schema],
  version,
}));
`;
      await writeFile(path.join(project, 'imports.mjs'), script);
      const r = await run(process.execPath, ['imports.mjs'], { cwd: project, env: childEnv() });
      expect(r.stderr).toBe('');
      const fn = 'function';
      expect(JSON.parse(r.stdout)).toEqual({
        library: {
          plan: fn,
          apply: fn,
          loadConfig: fn,
          verifySignature: fn,
          startEmulator: fn,
          renderText: fn,
          LaunchDarklyClient: fn,
        },
        emulator: { startEmulator: fn },
        same: true,
        schemas: [
          'https://json-schema.org/draft/2020-12/schema',
          'https://json-schema.org/draft/2020-12/schema',
        ],
        version: VERSION,
      });
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "runs the README's library example from the installed package",
    async () => {
      await copyFile(EXAMPLE, path.join(project, 'plan-and-apply.mjs'));
      const r = await run(process.execPath, ['plan-and-apply.mjs', 'webhooks/'], {
        cwd: project,
        env: childEnv(EXAMPLE_ENV),
      });
      expectExampleOutput(r);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "type-checks the example and the entry points against the installed package's types",
    async () => {
      await copyFile(EXAMPLE, path.join(project, 'plan-and-apply.mjs'));
      await writeFile(
        path.join(project, 'entries.ts'),
        `import { apply, type ApplyReport, loadConfig, plan, type PlanRun, verifySignature } from 'ldhooks';
import { type Emulator, startEmulator } from 'ldhooks/emulator';

export async function roundTrip(paths: string[]): Promise<[PlanRun, ApplyReport]> {
  const emulator: Emulator = await startEmulator();
  const { LaunchDarklyClient } = await import('ldhooks');
  const client = new LaunchDarklyClient({ baseUri: emulator.url, token: emulator.token });
  const run = await plan(await loadConfig(paths), client, { maxDeletePercent: 10 });
  const report = await apply(client, run, { parallelism: 2 });
  await emulator.close();
  return [run, report];
}
export const ok: boolean = verifySignature('{}', undefined, ['secret']).ok;
`,
      );
      await writeFile(
        path.join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            strict: true,
            noEmit: true,
            allowJs: true,
            checkJs: true,
            skipLibCheck: true,
            types: ['node'],
            typeRoots: [path.join(ROOT, 'node_modules/@types')],
          },
          files: ['plan-and-apply.mjs', 'entries.ts'],
        }),
      );
      const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
      const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
        cwd: project,
        env: childEnv(),
      });
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
    },
    SPAWN_TIMEOUT_MS,
  );
});
