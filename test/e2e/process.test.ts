import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, NETWORK_MARKER, ROOT, SPAWN_TIMEOUT_MS, spawnCli } from '../support/cli.js';
import {
  expectSeveralFilesReport,
  SEVERAL_FILES,
  SEVERAL_FILES_ENV,
} from '../support/several-files.js';

// The real process: the built files, the entry point, exit codes through process.exitCode,
// output flushed before exit, and the --import network guard. One offline run that passes, one
// that fails; every other CLI test runs the same program in process.
describe('the built CLI as a process, offline', () => {
  it(
    'passes the examples with a one-line summary',
    async () => {
      const r = await spawnCli(['validate', 'examples/'], { offline: true });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('5 files, 7 webhooks, valid\n');
      expect(r.code).toBe(0);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'prints every problem of several files, sorted, and never a value from the environment',
    async () => {
      expectSeveralFilesReport(
        await spawnCli(SEVERAL_FILES, { env: SEVERAL_FILES_ENV, offline: true }),
      );
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'has a network guard that really trips',
    () => {
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          path.join(ROOT, 'test/support/no-network.mjs'),
          '-e',
          "fetch('http://127.0.0.1:9')",
        ],
        { encoding: 'utf8' },
      );
      expect(r.status).toBe(99);
      expect(r.stderr).toContain(NETWORK_MARKER);
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('the built CLI writing to a closed pipe', () => {
  it(
    'exits quietly, as under `ldhooks schema | head -1`, instead of crashing on EPIPE',
    async () => {
      const child = spawn(process.execPath, [CLI, 'schema'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Closed before the CLI has loaded, so its first write meets a pipe with no reader.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on('close', (c, s) => resolve([c, s])),
      );
      expect(stderr).toBe('');
      expect([code, signal]).toEqual([0, null]);
    },
    SPAWN_TIMEOUT_MS,
  );
});
