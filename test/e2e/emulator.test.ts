import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SPAWN_TIMEOUT_MS, startCli, startCliInProcess } from '../support/cli.js';
import { fakeClock } from '../support/clock.js';

const TOKEN = 'ldhooks-emulator-token';

async function call(base: string, method: string, p: string, body?: unknown, token = TOKEN) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { Authorization: token, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

// The real process: SIGINT and SIGTERM from the operating system reach the command through
// main.ts. The in-process tests below stop the emulator through the injected signal emitter.
describe('ldhooks emulator as a process', () => {
  it(
    'serves the API, keeps its data across a restart, and stops on Ctrl-C',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-e2e-emu-'));
      const data = path.join(dir, 'ld.json');
      const first = startCli(['emulator', '--port', '0', '--data', data]);
      await first.waitFor(/Press Ctrl-C to stop/);
      const [, url] = (await first.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)) as [
        string,
        string,
      ];
      expect(first.output().stdout).toContain(
        `token: ${TOKEN} (the default; choose another with --token)`,
      );
      expect(first.output().stdout).toContain(`data: ${data} (0 webhooks loaded)`);
      // What to run next, in any repository: no folder of this one.
      expect(first.output().stdout).toContain(
        `try: LD_BASE_URI=${url} LD_ACCESS_TOKEN=${TOKEN} npx ldhooks plan <your config dir>\n`,
      );
      const created = await call(url, 'POST', '/api/v2/webhooks', {
        url: 'https://a.example.com',
        sign: false,
        on: true,
        name: 'kept',
      });
      expect(created.status).toBe(200);
      const stopped = await first.stop('SIGINT');
      expect(stopped.code).toBe(0);
      expect(stopped.stdout).toContain('emulator stopped');

      const second = startCli(['emulator', '--port', '0', '--data', data]);
      await second.waitFor(/Press Ctrl-C to stop/);
      const [, url2] = (await second.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)) as [
        string,
        string,
      ];
      expect(second.output().stdout).toContain('(1 webhooks loaded)');
      expect((await call(url2, 'GET', '/api/v2/webhooks')).body.items).toEqual([created.body]);
      expect((await second.stop('SIGTERM')).code).toBe(0);
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('ldhooks emulator', () => {
  it('does not print a token given with --token, and stops on SIGINT', async () => {
    const running = startCliInProcess(['emulator', '--port', '0', '--token', 'custom-token-5f2a']);
    await running.waitFor(/Press Ctrl-C to stop/);
    const [, url] = (await running.waitFor(LISTENING)) as [string, string];
    expect(
      (await call(url, 'GET', '/api/v2/webhooks', undefined, 'custom-token-5f2a')).status,
    ).toBe(200);
    const out = await running.stop('SIGINT');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('token: the one given with --token (not shown)');
    expect(out.stdout).toContain(
      `try: LD_BASE_URI=${url} LD_ACCESS_TOKEN=<your --token> npx ldhooks plan <your config dir>\n`,
    );
    expect(out.stdout).toMatch(/emulator stopped\n$/);
    expect(out.stdout + out.stderr).not.toContain('custom-token-5f2a');
    await expect(call(url, 'GET', '/api/v2/webhooks')).rejects.toThrow();
  });

  it('limits requests per --rate-limit-window, on the clock it is given', async () => {
    const clock = fakeClock({ start: 1_000_000 });
    const running = startCliInProcess(
      ['emulator', '--port', '0', '--rate-limit', '2', '--rate-limit-window', '60000'],
      { clock },
    );
    const [, url] = (await running.waitFor(LISTENING)) as [string, string];
    expect(running.output().stdout).toContain('rate limit: 2 requests per 60 s\n');
    const first = await call(url, 'GET', '/api/v2/webhooks');
    clock.advance(59_999);
    const second = await call(url, 'GET', '/api/v2/webhooks');
    const third = await call(url, 'GET', '/api/v2/webhooks');
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(third.headers.get('x-ratelimit-reset')).toBe(String(1_000_000 + 60_000));
    expect(third.headers.get('retry-after')).toBe('1');
    clock.advance(1);
    expect((await call(url, 'GET', '/api/v2/webhooks')).status).toBe(200);
    expect((await running.stop('SIGTERM')).code).toBe(0);
  });

  it('limits each route per --route-rate-limit, beside --rate-limit', async () => {
    const clock = fakeClock({ start: 0 });
    const running = startCliInProcess(
      ['emulator', '--port', '0', '--rate-limit', '3', '--route-rate-limit', '1'],
      { clock },
    );
    const [, url] = (await running.waitFor(LISTENING)) as [string, string];
    expect(running.output().stdout).toContain('route rate limit: 1 requests per route per 10 s\n');
    const list = await call(url, 'GET', '/api/v2/webhooks');
    const again = await call(url, 'GET', '/api/v2/webhooks');
    const other = await call(url, 'GET', '/api/v2/webhooks/0123456789abcdef01234567');
    expect([list.status, again.status, other.status]).toEqual([200, 429, 404]);
    expect(list.headers.get('x-ratelimit-route-remaining')).toBe('0');
    expect(other.headers.get('x-ratelimit-route-remaining')).toBe('0');
    expect(other.headers.get('x-ratelimit-global-remaining')).toBe('0');
    expect((await running.stop('SIGTERM')).code).toBe(0);
  });

  it('rejects a bad --route-rate-limit with exit 1', async () => {
    const r = await runCli(['emulator', '--route-rate-limit', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--route-rate-limit must be a whole number from 1 to 1000000.');
  });

  it('refuses a corrupt data file with exit 1 and leaves it as it was', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-e2e-emu-'));
    const data = path.join(dir, 'ld.json');
    await writeFile(data, 'not json at all');
    const r = await runCli(['emulator', '--port', '0', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: the data file ${data} is not usable: not valid JSON`);
    expect(await readFile(data, 'utf8')).toBe('not json at all');
  });

  it('refuses a --data that is a FIFO or a link to /dev/zero, at once, before it listens', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-e2e-emu-'));
    execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
    await symlink('/dev/zero', path.join(dir, 'zero.json'));
    for (const [file, kind] of [
      ['fifo.json', 'a FIFO'],
      ['zero.json', 'a device'],
    ] as const) {
      const r = await runCli(['emulator', '--port', '0', '--data', file], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain('listening');
      expect(r.stderr).toBe(
        `error: cannot read the data file ${dir}/${file}: not a regular file (${kind}). Pass a regular file the emulator wrote, or a path where it may create one\n`,
      );
    }
  });

  it('refuses --data in a directory that does not exist before it listens', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-e2e-emu-'));
    const r = await runCli(['emulator', '--port', '0', '--data', 'missing/ld.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('listening');
    expect(r.stderr).toBe(
      `error: cannot keep the data file ${dir}/missing/ld.json: its directory ${dir}/missing does not exist. Create it first (mkdir -p ${dir}/missing), or choose another --data\n`,
    );
  });

  it('says so when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['emulator', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `error: port ${port} is already in use; choose another with --port, or --port 0 for a free one`,
      );
    } finally {
      blocker.close();
    }
  });

  it('rejects a bad --rate-limit with exit 1', async () => {
    const r = await runCli(['emulator', '--rate-limit', 'lots']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--rate-limit must be a whole number from 1 to 1000000.');
  });

  it.each(['0', '1.5', 'soon', '60001'])(
    'rejects --rate-limit-window %s with exit 1',
    async (value) => {
      const r = await runCli(['emulator', '--rate-limit', '5', '--rate-limit-window', value]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('--rate-limit-window must be a whole number from 1 to 60000.');
    },
  );

  it('warns that --rate-limit-window alone limits nothing', async () => {
    const running = startCliInProcess(['emulator', '--port', '0', '--rate-limit-window', '500']);
    await running.waitFor(LISTENING);
    expect(running.output().stderr).toBe(
      'warning: --rate-limit-window has no effect without --rate-limit or --route-rate-limit: nothing is limited\n',
    );
    expect((await running.stop('SIGTERM')).code).toBe(0);
    const quiet = startCliInProcess(['emulator', '--port', '0', '--rate-limit', '3']);
    await quiet.waitFor(LISTENING);
    expect((await quiet.stop('SIGTERM')).stderr).toBe('');
  });

  it('explains --rate-limit-window and --latency in its help', async () => {
    const r = await runCli(['emulator', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /--rate-limit-window <ms>\s+milliseconds in a --rate-limit or --route-rate-limit/,
    );
    expect(r.stdout).toMatch(/--latency <ms>\s+wait this many milliseconds before answering/);
    expect(r.stdout).toMatch(/--route-rate-limit <n>\s+allow N requests per window on each route/);
    expect(r.stdout).toContain('X-Ratelimit-Reset (epoch ms, when every count starts again)');
  });

  it('answers each API request after --latency, on the clock it is given', async () => {
    const clock = fakeClock({ start: 1_000_000 });
    const running = startCliInProcess(['emulator', '--port', '0', '--latency', '50'], { clock });
    const [, url] = (await running.waitFor(LISTENING)) as [string, string];
    expect(running.output().stdout).toContain('latency: 50 ms before each answer\n');
    expect((await call(url, 'GET', '/api/v2/webhooks')).status).toBe(200);
    expect((await call(url, 'GET', '/api/v2/webhooks/0123456789abcdef01234567')).status).toBe(404);
    expect(clock.sleeps).toEqual([50, 50]);
    expect((await running.stop('SIGTERM')).code).toBe(0);
  });

  it.each(['-1', '1.5', 'slow', '60001'])('rejects --latency %s with exit 1', async (value) => {
    const r = await runCli(['emulator', '--latency', value]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--latency must be a whole number from 0 to 60000.');
  });
});
