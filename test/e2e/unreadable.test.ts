import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-unreadable-'));
});
afterEach(async () => {
  await emulator.close();
});

const cli = (args: string[]) =>
  runCli(args, {
    cwd: dir,
    env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token },
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
