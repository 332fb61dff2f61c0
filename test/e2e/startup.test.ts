import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, SPAWN_TIMEOUT_MS } from '../support/cli.js';

// Start-up time is what most runs feel (bench/startup.bench.mjs measures it): a command loads
// what it needs and nothing else. Checked on the built CLI as a process, where loading happens.

/** The modules a run of the built CLI imports: project files from dist/, and packages by name. */
function modulesLoaded(args: string[]): string[] {
  const r = spawnSync(
    process.execPath,
    ['--import', path.join(ROOT, 'test/support/module-log.mjs'), CLI, ...args],
    { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } },
  );
  expect(r.status, r.stderr).toBe(0);
  const urls = [...r.stderr.matchAll(/^MODULE (\S+)$/gm)].map((m) => m[1] as string);
  const names = urls.flatMap((url) => {
    const inPackage = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (inPackage) return [`package ${inPackage[1]}`];
    const inDist = url.indexOf('/dist/');
    return inDist >= 0 && url.startsWith('file:') ? [url.slice(inDist + 1)] : [];
  });
  return [...new Set(names)].sort();
}

const HEAVY = [
  'package yaml',
  'package ajv',
  'package ky',
  'package diff',
  'package fast-json-patch',
];

describe('what a command loads', () => {
  it(
    '--version: the program and commander, no command and no heavy package',
    () => {
      const loaded = modulesLoaded(['--version']);
      expect(loaded).toContain('dist/cli/program.js');
      expect(loaded.filter((m) => m.startsWith('dist/cli/commands/'))).toEqual([]);
      expect(loaded.filter((m) => m.startsWith('package '))).toEqual(['package commander']);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'validate: the config reader and the precompiled validator; no schema compiler, nothing that plans, renders or talks HTTP',
    () => {
      const loaded = modulesLoaded(['validate', 'examples/']);
      expect(loaded).toEqual(
        expect.arrayContaining([
          'dist/cli/commands/validate.js',
          'dist/adapters/fs/config-source.js',
          'dist/core/config/config-validator.generated.js',
          'package yaml',
        ]),
      );
      expect(loaded.filter((m) => m.startsWith('dist/cli/commands/'))).toEqual([
        'dist/cli/commands/validate.js',
      ]);
      // The error types exit.ts maps to exit codes are all it takes from elsewhere.
      const elsewhere = loaded.filter((m) =>
        /^dist\/(engine\/(?!errors\.js)|render\/|adapters\/(emulator|receiver)\/|adapters\/launchdarkly\/client\.js)/.test(
          m,
        ),
      );
      expect(elsewhere).toEqual([]);
      expect(loaded.filter((m) => HEAVY.includes(m))).toEqual(['package yaml']);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'a command: its own module only, whatever comes after it',
    () => {
      const loaded = modulesLoaded(['schema', '--plan']);
      expect(loaded.filter((m) => m.startsWith('dist/cli/commands/'))).toEqual([
        'dist/cli/commands/schema.js',
      ]);
    },
    SPAWN_TIMEOUT_MS,
  );
});
