import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { startEmulator } from '../../src/adapters/emulator/index.js';
import { runCli, startCliInProcess } from '../support/cli.js';
import { fakeClock } from '../support/clock.js';
import { countFetches } from '../support/fetches.js';
import { RAW_CONTROL } from '../support/inert.js';

const SECRET_PART = 'T0KENPATHq7';
const QUERY_PART = 'qs3cr3tk9';
const HOOK_SECRET = 'whsec-zq5d2a8m';

/** Every way the output could still hold the value: as is, or once any encoding is undone. */
function readings(text: string): string[] {
  const out = [text];
  try {
    out.push(decodeURIComponent(text.replace(/%(?![0-9a-fA-F]{2})/g, '%25')));
  } catch {
    // not percent-decodable as a whole: the other readings still count
  }
  out.push(
    text
      .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) =>
        String.fromCharCode(Number.parseInt(h, 16)),
      )
      .replace(/\\\//g, '/'),
  );
  // Base64 runs, read from each of their first four characters (the value may start anywhere).
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{12,}/g)) {
    for (let i = 0; i < 4; i++) {
      const piece = run.slice(i, i + Math.floor((run.length - i) / 4) * 4);
      out.push(
        Buffer.from(piece.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1'),
      );
    }
  }
  return out;
}

/** No run of five characters of the value shows: not even the start of a value cut in two. */
function pieces(value: string): string[] {
  return Array.from({ length: value.length - 4 }, (_, i) => value.slice(i, i + 5).toLowerCase());
}

function expectClean(output: string, what: string) {
  for (const reading of readings(output)) {
    for (const value of [SECRET_PART, QUERY_PART, HOOK_SECRET])
      for (const piece of pieces(value)) expect(reading.toLowerCase(), what).not.toContain(piece);
  }
  for (const line of output.split('\n'))
    expect(RAW_CONTROL.test(line), `${what}: ${line}`).toBe(false);
}

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(server: net.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** A receiver that writes its status line by hand: any reason phrase, any bytes. */
function rawReceiver(answer: (requestPath: string) => { head: string; body: string }) {
  return listen(
    net.createServer((socket) => {
      let buffer = '';
      socket.on('data', (d) => {
        buffer += d.toString('latin1');
        if (!buffer.includes('\r\n\r\n')) return;
        const requestPath = buffer.split(' ')[1] ?? '';
        const { head, body } = answer(requestPath);
        const bytes = Buffer.from(body, 'utf8');
        socket.end(
          Buffer.concat([
            Buffer.from(
              `${head}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`,
              'latin1',
            ),
            bytes,
          ]),
        );
      });
    }),
  );
}

async function pingConfig(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-hostile-ping-'));
  await writeFile(
    path.join(dir, 'hooks.yaml'),
    'version: 1\nwebhooks:\n  - name: target\n    url: ${HOOK_URL}\n    secret: ${HOOK_SECRET}\n',
  );
  return dir;
}

const lowerPercent = (s: string) =>
  encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

describe('ping, against a receiver that repeats what it was sent', () => {
  it.each([
    [
      'the path in its reason phrase',
      (p: string) => ({ head: `HTTP/1.1 400 echo ${p}`, body: 'no' }),
    ],
    [
      'the path at the 200-character cut of its body',
      (p: string) => ({ head: 'HTTP/1.1 400 Bad', body: `${'x'.repeat(185)}${p}` }),
    ],
    [
      'the path percent-encoded in lower case',
      (p: string) => ({ head: 'HTTP/1.1 400 Bad', body: `got ${lowerPercent(p)}` }),
    ],
    [
      'the path JSON-escaped, PHP style',
      (p: string) => ({
        head: 'HTTP/1.1 400 Bad',
        body: JSON.stringify({ p }).replace(/\//g, '\\/'),
      }),
    ],
    [
      'C1 CSI and bidirectional controls',
      () => ({ head: 'HTTP/1.1 400 \x9b31mRED\x9b0m', body: 'y\u009b2J\u202eevil\n::error::x' }),
    ],
  ])('prints none of it: %s', async (_, answer) => {
    const url = await rawReceiver(answer);
    const dir = await pingConfig();
    const r = await runCli(['ping', 'target', dir], {
      env: { HOOK_URL: `${url}/hooks/${SECRET_PART}?k=${QUERY_PART}`, HOOK_SECRET },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('answered 400');
    expectClean(r.stdout + r.stderr, 'ping');
    for (const line of (r.stdout + r.stderr).split('\n')) expect(line).not.toMatch(/^\s*::/);
  });
});

/** A LaunchDarkly that lists nothing and answers every write with the request body, encoded. */
/** A server that quotes part of each string it was sent (as servers shorten long values). */
const partly = (keep: (value: string) => string) => (body: string) =>
  Object.values(JSON.parse(body) as Record<string, unknown>)
    .filter((v): v is string => typeof v === 'string')
    .map(keep)
    .join(' ');

function echoingApi(encode: (body: string) => string) {
  return listen(
    http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ items: [] }));
          return;
        }
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`error: ${encode(body)}`);
      });
    }),
  );
}

describe('apply, against a LaunchDarkly that echoes what it was sent, encoded', () => {
  it.each([
    ['percent-encoded, upper case', (b: string) => encodeURIComponent(b)],
    ['percent-encoded, lower case', lowerPercent],
    ['JSON with \\/', (b: string) => b.replace(/\//g, '\\/')],
    [
      'JSON with \\u0026-style escapes',
      (b: string) =>
        b.replace(/[&?=/]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ],
    ['form-encoded', (b: string) => new URLSearchParams({ b }).toString()],
    ['base64', (b: string) => Buffer.from(b).toString('base64')],
    ['the first 80% of each value', partly((v) => v.slice(0, Math.ceil(v.length * 0.8)))],
    ['the last 70% of each value', partly((v) => v.slice(Math.floor(v.length * 0.3)))],
    ['the middle half of each value', partly((v) => v.slice(v.length * 0.25, v.length * 0.75))],
  ])('shows no environment value, in text or JSON: %s', async (_, encode) => {
    const api = await echoingApi(encode);
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-hostile-apply-'));
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      'version: 1\nwebhooks:\n  - name: h\n    url: ${HOOK_URL}\n    secret: ${HOOK_SECRET}\n',
    );
    const env = {
      LD_BASE_URI: api,
      LD_ACCESS_TOKEN: 'tok-hostile-1',
      HOOK_URL: `https://hooks.example.com/a/${SECRET_PART}?k=${QUERY_PART}&x=1`,
      HOOK_SECRET,
    };
    for (const args of [
      ['apply', '--auto-approve'],
      ['apply', '--auto-approve', '--format', 'json'],
    ]) {
      const r = await runCli(args, { cwd: dir, env });
      expect(r.code, r.stderr).toBe(1);
      expectClean(r.stdout + r.stderr, args.join(' '));
    }
  });
});

describe('receiver, printing what a sender wrote', () => {
  it('escapes bidirectional and other controls, and forges no line', async () => {
    const receiver = startCliInProcess(['receiver', '--port', '0']);
    const [, url] = (await receiver.waitFor(
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    )) as unknown as [string, string];
    await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ kind: 'flag', name: 'a\u202eb', title: 'x\u2028::error::y\u2066z' }),
    });
    await receiver.waitFor(/POST 200/);
    const result = await receiver.stop();
    expect(result.stdout).toContain('flag "a\\u202eb": x\\u2028::error::y\\u2066z');
    for (const line of result.stdout.split('\n')) {
      expect(RAW_CONTROL.test(line), line).toBe(false);
      expect(line).not.toMatch(/^\s*::/);
    }
  });
});

describe('apply, against a server whose rate limit never lets anything through', () => {
  it('stops with exit 1 and says what the server did, instead of waiting forever', async () => {
    const fetches = countFetches();
    onTestFinished(fetches.restore);
    const clock = fakeClock({ start: 1_700_000_000_000, busy: () => fetches.inFlight() > 0 });
    let posts = 0;
    const api = await listen(
      http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => {
          // Every answer: nothing left, and a reset 15 s from now.
          res.setHeader('X-Ratelimit-Global-Remaining', '0');
          res.setHeader('X-Ratelimit-Route-Remaining', '0');
          res.setHeader('X-Ratelimit-Reset', String(clock.now() + 15_000));
          res.setHeader('content-type', 'application/json');
          if (req.method === 'GET') {
            res.end(JSON.stringify({ items: [] }));
            return;
          }
          posts++;
          const id = String(posts).padStart(24, '0');
          res.end(
            JSON.stringify({ _id: id, _links: {}, on: true, statements: [], ...JSON.parse(body) }),
          );
        });
      }),
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-hostile-rate-'));
    const hooks = Array.from(
      { length: 5 },
      (_, i) => `  - { name: h${i}, url: "https://h.example.com/${i}" }`,
    );
    await writeFile(path.join(dir, 'hooks.yaml'), `version: 1\nwebhooks:\n${hooks.join('\n')}\n`);
    const start = clock.now();
    const r = await runCli(['apply', '--auto-approve', '--parallelism', '1'], {
      cwd: dir,
      env: { LD_BASE_URI: api, LD_ACCESS_TOKEN: 'tok-rate' },
      clock,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'not sent: the server said 3 times in a row that no request was left in the rate-limit window right after the reset it had promised',
    );
    expect(r.stderr).toContain('check that the base URI points at the LaunchDarkly API');
    // Three empty windows of 15 s, not one 15 s wait per request for ever.
    expect(clock.now() - start).toBeLessThanOrEqual(4 * 15_000 + 1000);
    expect(posts).toBeLessThan(5);
  });
});

describe('import, printing the names LaunchDarkly holds', () => {
  it('writes a name with line breaks quoted, so no line of its output reads as a command', async () => {
    const emulator = await startEmulator();
    servers.push({ close: () => void emulator.close() });
    for (const [i, name] of ['a\n::error title=x::y', 'b\r\n  ::stop-commands::z'].entries()) {
      emulator.store.put({
        _id: String(i + 1).padStart(24, '0'),
        name,
        url: 'https://hooks.example.com/',
        on: true,
        tags: ['managed-by-ldhooks'],
      });
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-hostile-import-'));
    const r = await runCli(['import'], {
      cwd: dir,
      env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('name: "a\\n::error title=x::y"');
    for (const line of (r.stdout + r.stderr).split('\n')) expect(line).not.toMatch(/^\s*::/);
  });
});
