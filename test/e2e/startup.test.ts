import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, SPAWN_TIMEOUT_MS } from '../support/cli.js';

// Start-up time is what most runs feel (bench/startup.bench.mjs measures it): a command loads
// what it needs and nothing else. Checked on the shipped command (the bundle: a main file and
// chunks) as a process, where loading happens: the chunks a run loads, and through each chunk's
// source map the sources in it.

const BUNDLE = path.dirname(CLI);

interface Loaded {
  /** Project sources (src/...ts) and packages ("package yaml") in the chunks loaded. */
  names: string[];
  /** Every package source in them, as a path under node_modules/. */
  packageFiles: string[];
  /** Files loaded from anywhere but the bundle. */
  outside: string[];
  /** Node's own modules loaded (internal ones included). */
  builtins: string[];
}

function modulesLoaded(args: string[]): Loaded {
  const r = spawnSync(
    process.execPath,
    ['--import', path.join(ROOT, 'test/support/module-log.mjs'), CLI, ...args],
    { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } },
  );
  expect(r.status, r.stderr).toBe(0);
  const files = [...new Set([...r.stderr.matchAll(/^MODULE (file:\S+)$/gm)].map((m) => m[1]))]
    .map((url) => fileURLToPath(url as string))
    .filter((file) => file !== path.join(ROOT, 'test/support/module-log.mjs'));
  const chunks = files.filter((f) => path.dirname(f) === BUNDLE);
  const sources = chunks.flatMap((chunk) =>
    (JSON.parse(readFileSync(`${chunk}.map`, 'utf8')) as { sources: string[] }).sources.map((s) =>
      path.relative(ROOT, path.resolve(BUNDLE, s)).replaceAll(path.sep, '/'),
    ),
  );
  const packageFiles = sources.filter((s) => s.includes('node_modules/'));
  const names = sources.map((s) => {
    const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s);
    return inPackage ? `package ${inPackage[1]}` : s;
  });
  return {
    names: [...new Set(names)].sort(),
    packageFiles: packageFiles.map((s) => s.slice(s.lastIndexOf('node_modules/') + 13)),
    outside: files.filter((f) => path.dirname(f) !== BUNDLE),
    builtins: [...r.stderr.matchAll(/^BUILTIN (\S+)$/gm)].map((m) => m[1] as string),
  };
}

const HEAVY = [
  'package yaml',
  'package ajv',
  'package ajv-formats',
  'package ky',
  'package diff',
  'package fast-json-patch',
];
const commands = (names: string[]) => names.filter((m) => m.startsWith('src/cli/commands/'));
const packages = (names: string[]) => names.filter((m) => m.startsWith('package '));

describe('what a command loads', () => {
  it(
    '--version: the program and commander, from the bundle alone; no command and no heavy package',
    () => {
      const loaded = modulesLoaded(['--version']);
      expect(loaded.outside).toEqual([]);
      expect(loaded.names).toContain('src/cli/program.ts');
      expect(commands(loaded.names)).toEqual([]);
      expect(packages(loaded.names)).toEqual(['package commander']);
      // commander's child_process (for executable subcommands, which ldhooks has none of) waits
      // for a first use (scripts/bundle-cli.mjs); it would bring net and dgram.
      expect(loaded.builtins).toContain('fs');
      expect(loaded.builtins).not.toContain('child_process');
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'validate: the config reader and the precompiled validator; no schema compiler, nothing that plans, renders or talks HTTP',
    () => {
      const loaded = modulesLoaded(['validate', 'examples/']);
      expect(loaded.outside).toEqual([]);
      expect(loaded.names).toEqual(
        expect.arrayContaining([
          'src/cli/commands/validate.ts',
          'src/adapters/fs/config-source.ts',
          'src/core/config/config-validator.generated.ts',
          'package yaml',
        ]),
      );
      expect(commands(loaded.names)).toEqual(['src/cli/commands/validate.ts']);
      expect(loaded.builtins).not.toContain('child_process');
      // The error types exit.ts maps to exit codes are all it takes from elsewhere.
      const elsewhere = loaded.names.filter((m) =>
        /^src\/(engine\/(?!errors\.ts)|render\/|adapters\/(emulator|receiver)\/|adapters\/launchdarkly\/client\.ts)/.test(
          m,
        ),
      );
      expect(elsewhere).toEqual([]);
      // Of ajv, only the helpers the precompiled validator calls: its runtime, and the uri format.
      expect(loaded.names.filter((m) => HEAVY.includes(m))).toEqual([
        'package ajv',
        'package ajv-formats',
        'package yaml',
      ]);
      // (Sources as the packages' own source maps name them: lib/ and src/ beside dist/.)
      const ajv = loaded.packageFiles.filter((f) => /^ajv(-formats)?\//.test(f));
      expect(ajv.length).toBeGreaterThan(0);
      expect(
        ajv.filter(
          (f) => !/^ajv\/(dist|lib)\/runtime\/|^ajv-formats\/(dist|src)\/formats\.[jt]s$/.test(f),
        ),
      ).toEqual([]);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'a command: its own module only, whatever comes after it',
    () => {
      const loaded = modulesLoaded(['schema', '--plan']);
      expect(loaded.outside).toEqual([]);
      expect(commands(loaded.names)).toEqual(['src/cli/commands/schema.ts']);
    },
    SPAWN_TIMEOUT_MS,
  );
});
