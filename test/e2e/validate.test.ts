import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { NETWORK_MARKER, ROOT, runCli } from '../support/cli.js';
import { expectValid, validateValidate } from '../support/published-schemas.js';
import {
  expectSeveralFilesReport,
  SEVERAL_FILES,
  SEVERAL_FILES_ENV,
} from '../support/several-files.js';

describe('ldhooks validate', () => {
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

  const expectFixtureRefused = async (name: string) => {
    const r = await runCli(['validate', `test/fixtures/invalid/${name}`], { offline: true });
    expect(r.code, name).toBe(1);
    expect(r.stderr, name).not.toContain(NETWORK_MARKER);
    expect(r.stderr, name).toMatch(
      new RegExp(`^test/fixtures/invalid/${name}\\S*(:\\d+:\\d+)?  `, 'm'),
    );
    expect(r.stderr, name).toMatch(
      /: \d+ errors?(, \d+ warnings?)?; the configuration is not valid\n$/,
    );
    expect(r.stdout, name).toBe('');
  };

  it('fails every bad fixture with its location, exit 1 and no network access', async () => {
    const fixtures = await readdir(path.join(ROOT, 'test/fixtures/invalid'));
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    // The alias bomb among them: the loader refuses it in milliseconds (bench/alias-bomb).
    expect(fixtures).toContain('alias-bomb.yaml');
    for (const name of fixtures) await expectFixtureRefused(name);
  });

  it('prints every problem of several files, sorted, and never a value from the environment', async () => {
    expectSeveralFilesReport(
      await runCli(SEVERAL_FILES, { env: SEVERAL_FILES_ENV, offline: true }),
    );
  });
});

describe('the in-process network guard', () => {
  it('fails a run that reaches for the network, and puts the network back afterwards', async () => {
    const fetchBefore = globalThis.fetch;
    const r = await runCli(['plan', 'examples/'], {
      offline: true,
      env: { LD_ACCESS_TOKEN: 'guard-token-1f7e', LD_BASE_URI: 'http://127.0.0.1:9' },
    });
    expect(r.code).toBe(99);
    expect(r.stderr).toMatch(new RegExp(`^${NETWORK_MARKER}: \\S+$`, 'm'));
    expect(r.stdout + r.stderr).not.toContain('guard-token-1f7e');
    expect(globalThis.fetch).toBe(fetchBefore);
  });
});

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
    const doc = JSON.parse(r.stdout);
    expectValid(validateValidate, doc, 'validate --format json');
    expect(doc).toEqual({
      format: 'ldhooks-validate',
      format_version: 1,
      ldhooks_version: VERSION,
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
    expectValid(validateValidate, JSON.parse(r.stdout), 'validate --format json');
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, webhooks: 7, problems: [] });
    const unset = await runCli(
      [
        'validate',
        '--format',
        'json',
        '--allow-missing-env',
        'test/fixtures/policy/from-environment.yaml',
      ],
      { offline: true },
    );
    expectValid(validateValidate, JSON.parse(unset.stdout), 'with unset variables');
    expect(JSON.parse(unset.stdout).unset_variables.length).toBeGreaterThan(0);
  });

  it('prints its schema with ldhooks schema --validate, as committed', async () => {
    const r = await runCli(['schema', '--validate'], { offline: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(ROOT, 'schemas/validate.schema.json'), 'utf8'));
  });
});
