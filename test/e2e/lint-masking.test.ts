import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { ROOT, runCli } from '../support/cli.js';
import { LINT_ENV, UNIQUE_VALUES } from '../support/from-environment.js';

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-lint-mask-'));
  await copyFile(
    path.join(ROOT, 'test/fixtures/policy/from-environment.yaml'),
    path.join(dir, 'hooks.yaml'),
  );
});
afterEach(async () => {
  await emulator.close();
});

const EXPLAIN = ['explain', '--resource', 'proj/mobile:env/production:flag/checkout'];
const COMMANDS = [
  ['validate'],
  ['validate', '--format', 'json'],
  ['validate', '--strict'],
  ['plan'],
  ['plan', '--format', 'json'],
  ['plan', '--format', 'markdown'],
  ['apply', '--auto-approve'],
  [...EXPLAIN, '--action', 'updateOn'],
  [...EXPLAIN, '--action', 'updateOn', '--format', 'json'],
  [...EXPLAIN, '--action', '*'],
];

describe('every output of the policy checks, for values from the environment', () => {
  it.each([
    ['with a broken specifier (an error)', 'env-broken-5c', 1],
    ['with every specifier well-formed (warnings)', 'env/ok-5c', 0],
  ])('%s shows none of them', async (_, broken, code) => {
    const env = {
      ...LINT_ENV,
      BROKEN: broken,
      LD_BASE_URI: emulator.url,
      LD_ACCESS_TOKEN: emulator.token,
    };
    for (const args of COMMANDS) {
      const r = await runCli(args, { cwd: dir, env });
      const said = args.join(' ');
      // `validate --strict` makes the warnings errors: it fails either way.
      expect(r.code, `${said}: ${r.stderr}`).toBe(args.includes('--strict') ? 1 : code);
      for (const value of [...UNIQUE_VALUES, broken]) {
        expect(r.stdout, `${said} stdout`).not.toContain(value);
        expect(r.stderr, `${said} stderr`).not.toContain(value);
      }
      // The warnings were printed, masked: the search above looked at them.
      expect(r.stdout + r.stderr, said).toMatch(/unknown action \\?"\$\{ACTION\}/);
    }
  });
});
