import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';

describe('ldhooks validate (the built CLI)', () => {
  it('passes the examples with a one-line summary', async () => {
    const r = await runCli(['validate', 'examples/'], { offline: true });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('5 files, 7 webhooks, valid\n');
    expect(r.code).toBe(0);
  });

  it('defaults PATH to the current directory', async () => {
    const r = await runCli(['validate'], { cwd: path.join(ROOT, 'examples/teams'), offline: true });
    expect(r.stdout).toBe('3 files, 4 webhooks, valid\n');
    expect(r.code).toBe(0);
  });

  it('fails every bad fixture with its location, exit 1 and no network access', async () => {
    const fixtures = await readdir(path.join(ROOT, 'test/fixtures/invalid'));
    const runs = await inBatches(fixtures, 4, (name) =>
      runCli(['validate', `test/fixtures/invalid/${name}`], { offline: true }),
    );
    for (const [name, r] of runs) {
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).not.toContain('NETWORK-ACCESS-ATTEMPTED');
      expect(r.stderr, name).toMatch(
        new RegExp(`^test/fixtures/invalid/${name}\\S*(:\\d+:\\d+)?  `, 'm'),
      );
      expect(r.stderr, name).toMatch(
        /: \d+ errors?(, \d+ warnings?)?; the configuration is not valid\n$/,
      );
      expect(r.stdout, name).toBe('');
    }
  });

  it('has a network guard that really trips', async () => {
    const { spawnSync } = await import('node:child_process');
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
    expect(r.stderr).toContain('NETWORK-ACCESS-ATTEMPTED');
  });

  it('prints every problem of several files, sorted, and never a value from the environment', async () => {
    const r = await runCli(
      [
        'validate',
        'test/fixtures/invalid/secret-with-sign-false.yaml',
        'test/fixtures/invalid/bad-tag.yaml',
      ],
      { env: { LDHOOKS_TEST_SECRET: 'fixture-secret-9d1c' }, offline: true },
    );
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `test/fixtures/invalid/bad-tag.yaml:3:11  webhooks[0].name  duplicate webhook name "a", also declared at test/fixtures/invalid/secret-with-sign-false.yaml:3:11  (a name is the webhook's identity and must be unique across all files: rename or remove one)`,
      `test/fixtures/invalid/bad-tag.yaml:5:16  webhooks[0].tags[1]  tag "has space" breaks LaunchDarkly's tag rule  (use 1 to 64 letters, digits, ".", "_" or "-")`,
      `test/fixtures/invalid/secret-with-sign-false.yaml:3:11  webhooks[0].name  duplicate webhook name "a", also declared at test/fixtures/invalid/bad-tag.yaml:3:11  (a name is the webhook's identity and must be unique across all files: rename or remove one)`,
      'test/fixtures/invalid/secret-with-sign-false.yaml:6:5  webhooks[0].sign  webhook declares a secret but sets sign: false  (remove sign: false (a secret implies signing) or remove the secret)',
      '2 files: 4 errors; the configuration is not valid',
    ]);
    expect(r.stdout + r.stderr).not.toContain('fixture-secret-9d1c');
  });
});

async function inBatches<T, R>(
  items: T[],
  size: number,
  fn: (item: T) => Promise<R>,
): Promise<[T, R][]> {
  const out: [T, R][] = [];
  for (let i = 0; i < items.length; i += size) {
    const batch = items.slice(i, i + size);
    const results = await Promise.all(batch.map(fn));
    for (const [j, item] of batch.entries()) out.push([item, results[j] as R]);
  }
  return out;
}

describe('ldhooks schema and --help', () => {
  it('prints the committed schema', async () => {
    const { readFile } = await import('node:fs/promises');
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(await readFile(path.join(ROOT, 'schemas/ldhooks.schema.json'), 'utf8'));
  });

  it.each([[[]], [['validate']], [['schema']]])('explains %j with --help', async (command) => {
    const r = await runCli([...command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ldhooks/);
    expect(r.stdout.length).toBeGreaterThan(200);
  });

  it('rejects an unknown option with exit 1 and advice', async () => {
    const r = await runCli(['validate', '--frobnicate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: unknown option '--frobnicate'");
    expect(r.stderr).toContain('--help');
  });
});

describe('ldhooks validate --format json', () => {
  it('gives the problems as JSON with file, line, column, path, message and remedy', async () => {
    const r = await runCli(['validate', '--format', 'json', 'test/fixtures/invalid/bad-tag.yaml'], {
      offline: true,
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      format_version: 1,
      valid: false,
      files: ['test/fixtures/invalid/bad-tag.yaml'],
      webhooks: 0,
      problems: [
        {
          severity: 'error',
          code: 'schema.tag',
          file: 'test/fixtures/invalid/bad-tag.yaml',
          line: 5,
          column: 16,
          path: 'webhooks[0].tags[1]',
          message: `tag "has space" breaks LaunchDarkly's tag rule`,
          remedy: 'use 1 to 64 letters, digits, ".", "_" or "-"',
        },
      ],
    });
  });

  it('says valid as JSON too', async () => {
    const r = await runCli(['validate', '--format', 'json', 'examples/'], { offline: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, webhooks: 7, problems: [] });
  });
});
