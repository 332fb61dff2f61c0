import { mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
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

/** A loopback port nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a request that gets no answer', () => {
  it('says why, on every retry and at the end: a refused connection, a port fetch refuses', async () => {
    const refused = `http://127.0.0.1:${await closedPort()}`;
    for (const [base, why] of [
      [refused, /connection refused \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+\)/],
      ['http://127.0.0.1:1', /bad port/],
    ] as const) {
      const r = await cli(['plan', '--base-uri', base]);
      expect(r.code, base).toBe(1);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines.at(-1), base).toMatch(
        new RegExp(`^error: GET /api/v2/webhooks failed: ${why.source}; check the network`),
      );
      const retries = lines.filter((l) => l.includes('; retry '));
      expect(retries, base).toHaveLength(4);
      for (const l of retries)
        expect(l, base).toMatch(new RegExp(`no response \\(${why.source}\\)`));
      expect(r.stderr).not.toContain('fetch failed');
    }
  });
});
