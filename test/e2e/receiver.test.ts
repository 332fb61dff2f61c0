import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signBody } from '../../src/core/signature.js';
import { runCli, startCliInProcess } from '../support/cli.js';

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
const SECRET = 'whsec-receiver-4f1c9a7e2b';
const WRONG = 'whsec-wrong-0d3e8b6a91';
const HOOK_PATH = '/hooks/t0k3n-in-path-8842';

const CONFIG = `version: 1
webhooks:
  - name: audit-receiver
    url: \${HOOK_URL}
    secret: \${HOOK_SECRET}
    tags: [audit]
  - name: unsigned-receiver
    url: \${HOOK_URL}
    sign: false
  - name: ld-signed-receiver
    url: \${HOOK_URL}
    sign: true
`;

async function configDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-e2e-ping-'));
  await writeFile(path.join(dir, 'hooks.yaml'), CONFIG);
  return dir;
}

async function startReceiver(env: Record<string, string>, args: string[] = []) {
  const receiver = startCliInProcess(['receiver', '--port', '0', ...args], { env });
  const [, url] = (await receiver.waitFor(LISTENING)) as unknown as [string, string];
  await receiver.waitFor(/Press Ctrl-C to stop/);
  return { receiver, url };
}

function expectNoLeak(text: string, ...secrets: string[]) {
  for (const s of [...secrets, HOOK_PATH, 't0k3n']) expect(text).not.toContain(s);
}

describe('ldhooks receiver and ping', () => {
  it('ping signs with the declared secret; the receiver verifies it and answers 200', async () => {
    const dir = await configDir();
    const { receiver, url } = await startReceiver({ LDHOOKS_RECEIVER_SECRET: SECRET });
    expect(receiver.output().stdout).toContain('secrets: 1 (not shown)');
    const ping = await runCli(['ping', 'audit-receiver', dir], {
      env: { HOOK_URL: `${url}${HOOK_PATH}?k=v`, HOOK_SECRET: SECRET },
    });
    expect(ping.stderr).toBe('');
    expect(ping.code).toBe(0);
    expect(ping.stdout).toContain(`ping audit-receiver at ${url}: sample flag change, signed`);
    expect(ping.stdout).toMatch(/^200 OK in \d+ ms$/m);
    await receiver.waitFor(/POST 200/);
    const result = await receiver.stop('SIGTERM');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /POST 200 {2}verified {2}flag "Checkout redesign": Ada Lovelace turned on the flag/,
    );
    expect(result.stdout).toContain('receiver stopped');
    expectNoLeak(ping.stdout + ping.stderr + result.stdout + result.stderr, SECRET);
  });

  it('a wrong secret: the receiver answers 401 and ping exits 1 with what it said', async () => {
    const dir = await configDir();
    const { receiver, url } = await startReceiver({}, ['--secret', SECRET]);
    const ping = await runCli(['ping', 'audit-receiver', dir], {
      env: { HOOK_URL: `${url}${HOOK_PATH}`, HOOK_SECRET: WRONG },
    });
    expect(ping.code).toBe(1);
    expect(ping.stdout).toMatch(/^401 Unauthorized in \d+ ms$/m);
    expect(ping.stderr).toContain(
      `error: audit-receiver at ${url} answered 401 Unauthorized: signature mismatch`,
    );
    const result = await receiver.stop();
    expect(result.stdout).toContain('POST 401  NOT verified: signature does not match the secret');
    expectNoLeak(ping.stdout + ping.stderr + result.stdout + result.stderr, SECRET, WRONG);
  });

  it('rotation: a delivery signed with the second secret verifies; a missing or malformed one does not', async () => {
    const { receiver, url } = await startReceiver(
      { LDHOOKS_RECEIVER_SECRET: `${WRONG}, ${SECRET}` },
      ['--secret', 'newest-secret-77'],
    );
    const body = '{"kind":"flag","name":"x","title":"t\\nFAKE LINE"}';
    const post = (headers: Record<string, string>) =>
      fetch(`${url}/x`, { method: 'POST', body, headers }).then((r) => r.status);
    expect(await post({ 'X-LD-Signature': signBody(body, SECRET) })).toBe(200);
    expect(await post({})).toBe(401);
    expect(await post({ 'X-LD-Signature': 'nothex' })).toBe(401);
    expect((await fetch(url)).status).toBe(405);
    await receiver.waitFor(/GET 405/);
    const { stdout } = await receiver.stop();
    expect(stdout).toContain('secrets: 3 (not shown)');
    expect(stdout).toContain('verified (secret #3)  flag "x": t FAKE LINE');
    expect(stdout).toContain('NOT verified: no X-LD-Signature header');
    expect(stdout).toContain('NOT verified: X-LD-Signature is not a hex HMAC-SHA256');
    expect(stdout).not.toMatch(/^FAKE LINE/m);
    expectNoLeak(stdout, SECRET, WRONG, 'newest-secret-77');
  });

  it('without a secret the receiver accepts deliveries, and says a signed one was not checked', async () => {
    const dir = await configDir();
    const { receiver, url } = await startReceiver({});
    expect(receiver.output().stdout).toContain(
      'secret: none, so signatures are not checked (set --secret or LDHOOKS_RECEIVER_SECRET to verify them)',
    );
    for (const name of ['unsigned-receiver', 'ld-signed-receiver', 'audit-receiver']) {
      const ping = await runCli(['ping', name, dir], {
        env: { HOOK_URL: `${url}${HOOK_PATH}`, HOOK_SECRET: SECRET },
      });
      expect(ping.code).toBe(0);
      expectNoLeak(ping.stdout + ping.stderr, SECRET);
    }
    const pingLd = await runCli(['ping', 'ld-signed-receiver', dir], {
      env: { HOOK_URL: `${url}${HOOK_PATH}`, HOOK_SECRET: SECRET },
    });
    expect(pingLd.stdout).toContain('a secret LaunchDarkly generated');
    const { stdout } = await receiver.stop();
    const verdicts = stdout
      .split('\n')
      .filter((l) => l.includes('  POST '))
      .map((l) => l.split('  ')[2]);
    // A delivery signed with the declared secret is not called unsigned: nobody checked it.
    expect(verdicts).toEqual([
      'unsigned, not checked',
      'unsigned, not checked',
      'signed, NOT checked (no secret configured)',
      'unsigned, not checked',
    ]);
  });

  it('refuses an empty secret, from --secret or from the environment, before listening', async () => {
    const refused = [
      [
        ['--secret', ''],
        {},
        "error: --secret is empty: an empty secret verifies nothing; give the webhook's secret, or leave --secret out to receive without checking signatures\n",
      ],
      [
        [],
        { LDHOOKS_RECEIVER_SECRET: '' },
        "error: LDHOOKS_RECEIVER_SECRET is set but empty: an empty secret verifies nothing (set from another variable, as in LDHOOKS_RECEIVER_SECRET=$LD_HOOK_SECRET, that variable is not set); set it to the webhook's secret, or unset it to receive without checking signatures\n",
      ],
      [
        [],
        { LDHOOKS_RECEIVER_SECRET: `${SECRET}, ` },
        "error: LDHOOKS_RECEIVER_SECRET is set but holds an empty secret between its commas: an empty secret verifies nothing (set from another variable, as in LDHOOKS_RECEIVER_SECRET=$LD_HOOK_SECRET, that variable is not set); set it to the webhook's secret, or unset it to receive without checking signatures\n",
      ],
    ] as const;
    for (const [args, env, message] of refused) {
      const r = await runCli(['receiver', '--port', '0', ...args], { env });
      expect(r.code, message).toBe(1);
      expect(r.stdout, message).toBe('');
      expect(r.stderr, message).toBe(message);
    }
  });

  it('ping: an unknown name suggests the closest; a missing variable and an unreachable URL are errors', async () => {
    const dir = await configDir();
    const env = { HOOK_URL: `http://127.0.0.1:9${HOOK_PATH}`, HOOK_SECRET: SECRET };
    const unknown = await runCli(['ping', 'audit-reciever', dir], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('did you mean "audit-receiver"?');
    const missing = await runCli(['ping', 'audit-receiver', dir], { env: { HOOK_SECRET: SECRET } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('HOOK_URL');
    const down = await runCli(['ping', 'audit-receiver', dir], { env });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(
      "error: could not reach audit-receiver at http://127.0.0.1:9: bad port; check that the receiver runs and that the webhook's URL points at it",
    );
    expectNoLeak(unknown.stderr + missing.stderr + down.stdout + down.stderr, SECRET);
  });
});

describe('ldhooks ping against a receiver that repeats what it got', () => {
  it('never shows the secret, the URL path or query, even when the answer repeats them', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end(
          `forbidden ${req.url} ${decodeURIComponent(req.url ?? '')} sig=${req.headers['x-ld-signature']} ${SECRET}\n${body}`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const dir = await configDir();
      const ping = await runCli(['ping', 'audit-receiver', dir], {
        env: {
          HOOK_URL: `http://127.0.0.1:${port}/hooks/t0k3n%20x?key=qv4lue`,
          HOOK_SECRET: SECRET,
        },
      });
      expect(ping.code).toBe(1);
      expect(ping.stdout).toMatch(/^403 Forbidden in \d+ ms$/m);
      expect(ping.stderr).toContain('answered 403 Forbidden: forbidden');
      expect(ping.stderr).toContain('(sensitive)');
      const all = ping.stdout + ping.stderr;
      expectNoLeak(all, SECRET, 'qv4lue', 't0k3n x');
      expect(ping.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
