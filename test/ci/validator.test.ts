import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NETWORK_MARKER, ROOT, SPAWN_TIMEOUT_MS } from '../support/cli.js';
import { ACTION, githubWorkflows } from './ci-files.js';
import { spawnCollected } from './project.js';

// action.yml and every GitHub workflow pass action-validator (from npm, @action-validator/cli:
// GitHub's schemas for actions and workflows, compiled to WebAssembly), run as its binary with
// the Node that runs the tests (the project's, 20), offline: the network guard ends it with
// exit 99 if it reaches out.

const VALIDATOR = createRequire(path.join(ROOT, 'package.json')).resolve(
  '@action-validator/cli/cli.mjs',
);
const NO_NETWORK = path.join(ROOT, 'test/support/no-network.mjs');

/** Runs the validator's binary on a file, offline. */
async function validate(file: string) {
  const r = await spawnCollected(process.execPath, ['--import', NO_NETWORK, VALIDATOR, file], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
  });
  return { code: r.code, out: r.stdout + r.stderr };
}

describe('action-validator', () => {
  it(
    'runs on this Node without the network, and refuses a broken workflow and action',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-validator-'));
      try {
        // A step with both run and uses, and an action whose runs.using is unknown.
        const workflow = path.join(dir, 'broken.yml');
        await writeFile(
          workflow,
          'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n        uses: actions/checkout@v4\n',
        );
        const action = path.join(dir, 'action.yml');
        const ours = await readFile(path.join(ROOT, ACTION), 'utf8');
        await writeFile(action, ours.replace('using: composite', 'using: compost'));
        for (const file of [workflow, action]) {
          const r = await validate(file);
          expect(r.out).not.toContain(NETWORK_MARKER);
          expect(r.code, r.out).toBe(1);
          expect(r.out).toContain('"errors"');
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it.each([ACTION, ...githubWorkflows()])(
    'passes %s',
    async (file) => {
      const r = await validate(file);
      expect(r.out).not.toContain(NETWORK_MARKER);
      expect(r.code, r.out).toBe(0);
      // It prints nothing but its warning that it does not check path globs.
      expect(r.out.replace(/^WARNING: Glob validation is not yet supported\..*\n/gm, '')).toBe('');
    },
    SPAWN_TIMEOUT_MS,
  );
});
