import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-messages-'));
  await writeFile(
    path.join(dir, 'hooks.yaml'),
    'version: 1\nwebhooks:\n  - name: slack-prod\n    url: https://hooks.example.com/in\n',
  );
});
afterEach(async () => {
  await emulator.close();
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, {
    cwd: dir,
    env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token, ...env },
  });

describe('messages a person can act on', () => {
  it('says an unknown --target is unknown, with a did-you-mean, and nothing about ownership', async () => {
    for (const command of [['plan'], ['apply', '--auto-approve']]) {
      const r = await cli([...command, '--target', 'slack-prd']);
      expect(r.code, command[0]).toBe(1);
      expect(r.stderr, command[0]).toBe(
        'error: --target "slack-prd" (did you mean "slack-prod"?) names no webhook that the config declares or ldhooks manages; --target takes webhook names as the config writes them\n',
      );
      expect(r.stdout, command[0]).toBe('');
    }
    expect(emulator.store.all()).toEqual([]);
  });

  it('takes a base URI pasted with /api/v2, and sends requests to /api/v2/webhooks once', async () => {
    const r = await cli(['plan', '--base-uri', `${emulator.url}/api/v2/`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plan: 1 to create');
    expect(emulator.requests.map((q) => [q.method, q.path])).toEqual([['GET', '/api/v2/webhooks']]);
  });

  it('says a 403 on the list means the token cannot read webhooks', async () => {
    emulator.inject({ kind: 'status', status: 403, method: 'GET' });
    const r = await cli(['plan']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: GET \/api\/v2\/webhooks failed: 403 forbidden: injected fault \(request id [0-9a-f-]+\); the access token cannot read webhooks; /,
    );
    expect(r.stderr).not.toContain('can write webhooks');
  });
});
