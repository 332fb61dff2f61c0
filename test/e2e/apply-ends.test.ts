import { mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { runCli, SPAWN_TIMEOUT_MS, startCli } from '../support/cli.js';
import { until } from '../support/clock.js';

let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-apply-ends-'));
  await writeFile(
    path.join(dir, 'hooks.yaml'),
    'version: 1\nwebhooks:\n  - { name: a, url: "https://a.example.com/in" }\n  - { name: b, url: "https://b.example.com/in" }\n',
  );
});
afterEach(() => emulator.close());

const env = () => ({ LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token });

describe('apply whose check after the creates fails', () => {
  it('exits 1, says the changes were made and to run plan; the JSON report is incomplete', async () => {
    // The plan's list passes; every list after it (the check after the creates) fails.
    emulator.inject({ kind: 'status', status: 503, method: 'GET', after: 1, count: 1000 });
    const text = await runCli(['apply', '--auto-approve'], { cwd: dir, env: env() });
    expect(text.code).toBe(1);
    expect(emulator.store.all()).toHaveLength(2);
    expect(text.stdout).not.toContain('Apply complete');
    expect(text.stderr).toContain('! could not re-list to check the creates for duplicates (GET ');
    expect(text.stderr).toContain(
      'Apply not verified: 2 created, 0 updated, 0 deleted, but whether another apply at the same time created the same webhooks could not be checked. Run ldhooks plan',
    );

    emulator.store.clear();
    emulator.clearFaults();
    emulator.inject({ kind: 'status', status: 503, method: 'GET', after: 1, count: 1000 });
    const json = await runCli(['apply', '--auto-approve', '--format', 'json'], {
      cwd: dir,
      env: env(),
    });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({
      status: 'incomplete',
      exit_code: 1,
      error: {
        kind: 'apply',
        message: expect.stringMatching(
          /^the changes were made, but the creates could not be checked for duplicates/,
        ),
        remedy: expect.stringMatching(/^run ldhooks plan/),
      },
      summary: { applied: 2, failed: 0 },
      verify_error: expect.stringMatching(/^GET \/api\/v2\/webhooks failed: 503/),
    });
  });
});

describe('a signal while apply plans, before any operation', () => {
  const servers: net.Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s: stops at once, prints the report and the message, exits %i',
    async (signal, code) => {
      // A LaunchDarkly that takes the list request and never answers it.
      let asked = 0;
      const sockets: net.Socket[] = [];
      const server = net.createServer((socket) => {
        sockets.push(socket);
        socket.on('data', () => {
          asked++;
        });
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      const running = startCli(['apply', '--auto-approve', '--format', 'json'], {
        cwd: dir,
        env: { LD_BASE_URI: `http://127.0.0.1:${port}`, LD_ACCESS_TOKEN: 'tok-stall' },
      });
      await until(() => asked > 0);
      const r = await running.stop(signal);
      for (const s of sockets) s.destroy();
      expect(r.code).toBe(code);
      const doc = JSON.parse(r.stdout);
      expect(doc).toMatchObject({
        status: 'interrupted',
        exit_code: code,
        error: { kind: 'interrupted', message: `stopped by ${signal}` },
        summary: { operations: 0 },
        operations: [],
      });
      expect(r.stderr).toContain(
        `${signal}: stopped while planning, before any operation: nothing was changed.`,
      );
    },
    SPAWN_TIMEOUT_MS,
  );
});
