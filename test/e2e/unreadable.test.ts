import { execFileSync } from 'node:child_process';
import { appendFileSync, rmSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import {
  type FileCalls,
  type FsReader,
  nodeFileCalls,
  nodeFs,
  readRegularFile,
} from '../../src/adapters/fs/fs-reader.js';
import { MAX_FILE_BYTES } from '../../src/adapters/fs/load.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-unreadable-'));
});
afterEach(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[], fs?: FsReader) =>
  runCli(args, {
    cwd: dir,
    env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token },
    fs,
  });

const hook = (name: string) =>
  `version: 1\nwebhooks:\n  - name: ${name}\n    url: https://${name}.example.com/in\n`;

describe('a config entry that cannot be read', () => {
  it.each([
    ['a dangling link', 'gone/b.yaml', 'a symbolic link to gone/b.yaml, which does not exist'],
    ['a link that loops', 'b.yaml', 'a symbolic link to b.yaml that leads back to itself'],
  ])('(%s) stops validate, plan and apply: nothing is planned or deleted', async (_, to, why) => {
    await writeFile(path.join(dir, 'a.yaml'), hook('alpha'));
    await writeFile(path.join(dir, 'b.yaml'), hook('bravo'));
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(emulator.store.all().map((h) => h.name)).toEqual(['alpha', 'bravo']);

    // b.yaml becomes unreadable: without it, apply would delete bravo.
    await rm(path.join(dir, 'b.yaml'));
    await symlink(to, path.join(dir, 'b.yaml'));
    emulator.resetLog();
    const line = `b.yaml  cannot be read: ${why}  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)\n`;
    for (const command of ['validate', 'plan', 'apply']) {
      const args = command === 'apply' ? [command, '--auto-approve'] : [command];
      const r = await cli(args);
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toContain(line);
      expect(r.stdout, command).not.toContain('Plan:');
    }
    expect(emulator.counts()).toEqual({});
    expect(emulator.store.all().map((h) => h.name)).toEqual(['alpha', 'bravo']);
  });
});

const NOT_READ_WHOLE = 'ldhooks plans nothing from a configuration it could not read whole';
const CHANGED_REMEDY = `make it a regular config file again, or remove it, then run ldhooks again; ${NOT_READ_WHOLE}`;

/**
 * Node's calls, except that reading a.yaml first replaces z.yaml (which discovery found a
 * regular file) by what `make` creates in its place, as `rm z.yaml; mkfifo z.yaml` would.
 */
function swappedWhileReading(make: (file: string) => void): FsReader {
  return {
    ...nodeFs,
    readFile: (p, limit) => {
      if (p === path.join(dir, 'a.yaml')) {
        rmSync(path.join(dir, 'z.yaml'));
        make(path.join(dir, 'z.yaml'));
      }
      return nodeFs.readFile(p, limit);
    },
  };
}

/** Node's calls, except that z.yaml grows past the limit once its first bytes are read. */
function growingWhileRead(): FsReader {
  const z = path.join(dir, 'z.yaml');
  const calls: FileCalls = {
    ...nodeFileCalls,
    read(fd, buffer, offset, length) {
      if (offset === 0) appendFileSync(z, `#${'x'.repeat(MAX_FILE_BYTES)}\n`);
      return nodeFileCalls.read(fd, buffer, offset, length);
    },
  };
  return {
    ...nodeFs,
    readFile: async (p, limit) =>
      p === z ? readRegularFile(p, limit, calls) : nodeFs.readFile(p, limit),
  };
}

describe('a config file that changes between discovery and its read', () => {
  it.each([
    [
      'a FIFO',
      () => swappedWhileReading((file) => execFileSync('mkfifo', [file])),
      `z.yaml  is no longer a regular file (a FIFO): it changed while ldhooks read it  (${CHANGED_REMEDY})`,
    ],
    [
      'a link to /dev/zero',
      () => swappedWhileReading((file) => symlinkSync('/dev/zero', file)),
      `z.yaml  is no longer a regular file (a device): it changed while ldhooks read it  (${CHANGED_REMEDY})`,
    ],
    [
      'a file that grows past the limit',
      growingWhileRead,
      `z.yaml  the file grew past the 8.0 MiB limit while being read  (run ldhooks again once nothing writes to it, and keep each config file under 8.0 MiB; ${NOT_READ_WHOLE})`,
    ],
  ])('(%s) stops validate, plan and apply: nothing is planned or sent', async (_, fs, line) => {
    const z = path.join(dir, 'z.yaml');
    await writeFile(path.join(dir, 'a.yaml'), hook('alpha'));
    await writeFile(z, hook('zulu'));
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    emulator.resetLog();
    for (const command of ['validate', 'plan', 'apply']) {
      // Discovery finds z.yaml a regular file again; it changes while a.yaml is read.
      await rm(z, { force: true });
      await writeFile(z, hook('zulu'));
      const args = command === 'apply' ? [command, '--auto-approve'] : [command];
      const r = await cli(args, fs());
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toContain(`${line}\n`);
      expect(r.stdout, command).not.toContain('Plan:');
    }
    expect(emulator.counts()).toEqual({});
    expect(emulator.store.all().map((h) => h.name)).toEqual(['alpha', 'zulu']);
  });
});

describe('a saved plan or .ldhooks.json that is not a regular file', () => {
  const PLAN_REMEDY = 'pass the regular file that ldhooks plan --out wrote, whole';

  it.each([
    ['a FIFO', (file: string) => execFileSync('mkfifo', [file]), 'not a regular file (a FIFO)'],
    [
      'a link to /dev/zero',
      (file: string) => symlinkSync('/dev/zero', file),
      'not a regular file (a device)',
    ],
    [
      'a link that leads nowhere',
      (file: string) => symlinkSync('gone.json', file),
      'a symbolic link to gone.json, which does not exist',
    ],
  ])('apply --plan on %s: an error at once, exit 1, nothing sent', async (_, make, why) => {
    await writeFile(path.join(dir, 'a.yaml'), hook('alpha'));
    const planned = await cli(['plan', '--out', 'saved.json']);
    expect(planned.code, planned.stderr).toBe(0);
    // The reviewed plan is replaced before it is applied.
    await rm(path.join(dir, 'saved.json'));
    make(path.join(dir, 'saved.json'));
    emulator.resetLog();
    const r = await cli(['apply', '--plan', 'saved.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot read the plan saved.json: ${why}; ${PLAN_REMEDY}\n`);
    expect(emulator.counts()).toEqual({});
    expect(emulator.store.all()).toEqual([]);
  });

  it('applies nothing when .ldhooks.json is a FIFO or a link that leads nowhere (never the default threshold)', async () => {
    await writeFile(path.join(dir, 'a.yaml'), hook('alpha'));
    const project = path.join(dir, '.ldhooks.json');
    for (const [make, why] of [
      [() => execFileSync('mkfifo', [project]), 'not a regular file (a FIFO)'],
      [
        () => symlinkSync('settings/ldhooks.json', project),
        'a symbolic link to settings/ldhooks.json, which does not exist',
      ],
    ] as const) {
      await rm(project, { force: true });
      make();
      const r = await cli(['apply', '--auto-approve']);
      expect(r.code, why).toBe(1);
      expect(r.stderr).toBe(
        `error: cannot read .ldhooks.json: ${why}; make it a regular JSON file ldhooks may read, such as {"maxDeletePercent": 25}, or remove it\n`,
      );
    }
    expect(emulator.counts()).toEqual({});
    expect(emulator.store.all()).toEqual([]);
  });
});
