import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { runCli } from '../support/cli.js';
import { expectInert, RAW_CONTROL } from '../support/inert.js';
import { checkAsync } from '../support/property.js';

/** A YAML double-quoted string that holds any text: every character outside ASCII escaped. */
const yamlString = (s: string) =>
  JSON.stringify(s).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const PIECES = [
  '\n::warning::from-key',
  '\n::error title=Injected::x',
  '\r\n  ::stop-commands::token',
  '::set-output name=x::y',
  '##[warning]legacy',
  '##vso[task.setvariable]x',
  '\u001b[2J',
  '\u009b31m',
  '\u202eevil',
  '\u2066x\u2069',
  '\u2028',
  '\u2029',
  '\u0085',
  '\t',
  '\u0000',
];

/** Text a hostile config author writes: command forms and control characters among ordinary text. */
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary-ascii', maxLength: 6 })), {
    minLength: 1,
    maxLength: 5,
  })
  .map((parts) => parts.join(''))
  .filter((s) => /[:#]/.test(s) || RAW_CONTROL.test(s));

/** A file name can hold anything but a slash and NUL. */
const fileName = hostile.map((s) => `${s.replace(/[/\0]/g, '_')}.yaml`);

let emulator: Emulator;
let root: string;
let n = 0;

beforeAll(async () => {
  emulator = await startEmulator();
  root = await mkdtemp(path.join(tmpdir(), 'ldhooks-hostile-text-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(root, { recursive: true, force: true });
});

async function configDir(files: Record<string, string>): Promise<string> {
  const dir = path.join(root, `case-${n++}`);
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const webhook = (name: string, extra = '') =>
  `  - name: ${yamlString(name)}\n    url: https://hooks.example.com/x\n${extra}`;

const EXPLAIN = ['explain', '--resource', 'proj/p:env/production:flag/f', '--action', 'updateOn'];

async function expectEveryCommandInert(dir: string, what: string): Promise<void> {
  const env = { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token };
  for (const args of [
    ['validate'],
    ['validate', '--allow-missing-env'],
    ['plan'],
    ['apply', '--auto-approve'],
    EXPLAIN,
  ]) {
    const r = await runCli(args, { cwd: dir, env });
    expectInert(r.stdout, `${what}, ${args[0]} stdout`);
    expectInert(r.stderr, `${what}, ${args[0]} stderr`);
  }
}

describe('text from a config file, printed to a terminal or a CI log', () => {
  it('a key, a duplicate name, an unknown action and a file name never forge a line or a command', async () => {
    const cases = fc.record({ key: hostile, name: hostile, action: hostile, file: fileName });
    // Each case runs five commands on four configs: a dozen cases mix every piece many ways.
    await checkAsync(
      fc.asyncProperty(cases, async ({ key, name, action, file }) => {
        const unknownKey = await configDir({
          'hooks.yaml': `version: 1\nwebhooks:\n${webhook('a', `    ${yamlString(key)}: 1\n`)}`,
        });
        await expectEveryCommandInert(unknownKey, `unknown key ${JSON.stringify(key)}`);
        const duplicate = await configDir({
          'a.yaml': `version: 1\nwebhooks:\n${webhook(name)}`,
          'b.yaml': `version: 1\nwebhooks:\n${webhook(name)}`,
        });
        await expectEveryCommandInert(duplicate, `duplicate name ${JSON.stringify(name)}`);
        // A warning: the config is valid, so every command prints it and goes on.
        const unknownAction = await configDir({
          'hooks.yaml': `version: 1\nownerTag: managed-by-hostile-${n}\nwebhooks:\n${webhook(
            `w${n}`,
            `    statements:\n      - effect: allow\n        resources: ["proj/*:env/*:flag/*"]\n        actions: [${yamlString(action)}]\n`,
          )}`,
        });
        await expectEveryCommandInert(unknownAction, `unknown action ${JSON.stringify(action)}`);
        const named = await configDir({ [file]: 'version: 1\nwebhooks: nope\n' });
        await expectEveryCommandInert(named, `file ${JSON.stringify(file)}`);
      }),
      12,
    );
  }, 120_000);

  it('an explain --action or --resource from the command line prints as one line', async () => {
    const dir = await configDir({ 'hooks.yaml': `version: 1\nwebhooks:\n${webhook('a')}` });
    await checkAsync(
      fc.asyncProperty(hostile, async (text) => {
        for (const args of [
          ['explain', '--resource', 'proj/p:env/e:flag/f', '--action', text],
          ['explain', '--resource', text, '--action', 'updateOn'],
          ['explain', '--resource', `proj/p:env/e:flag/${text}`, '--action', 'updateOn'],
        ]) {
          const r = await runCli(args, { cwd: dir, offline: true });
          expectInert(r.stdout, `${JSON.stringify(args)} stdout`);
          expectInert(r.stderr, `${JSON.stringify(args)} stderr`);
        }
      }),
      40,
    );
  });

  it('a usage error quoting what was typed prints it inert', async () => {
    const r = await runCli(['validate', '--bad\n::error::x\u202e'], { offline: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown option '--bad");
    expectInert(r.stderr, 'usage error');
  });

  it('shows what the text held, escaped, where the problem is', async () => {
    const dir = await configDir({
      'hooks.yaml': `version: 1\nwebhooks:\n${webhook('a', `    "urll\\n::warning::from-key\\e[2J": 1\n`)}`,
      'x\n::error title=Injected::.yaml': 'version: 1\nwebhooks: nope\n',
    });
    const r = await runCli(['validate'], { cwd: dir, offline: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('urll\\n::warning::from-key\\u001b[2J');
    expect(r.stderr).toContain('x\\n::error title=Injected::.yaml');
    expectInert(r.stderr, 'validate');
  });
});

describe('import of live webhooks holding hostile text', () => {
  it('writes YAML in which no line is live, and which reads back as the same values', async () => {
    const { parse } = await import('yaml');
    await checkAsync(
      fc.asyncProperty(hostile, hostile, hostile, async (name, tag, action) => {
        emulator.store.clear();
        emulator.store.put({
          _id: 'a'.repeat(24),
          name,
          url: 'https://hooks.example.com/x',
          on: true,
          tags: ['managed-by-ldhooks', tag],
          statements: [{ effect: 'allow', resources: [`proj/${action}`], actions: [action] }],
        });
        const r = await runCli(['import'], {
          env: { LD_ACCESS_TOKEN: emulator.token, LD_BASE_URI: emulator.url },
        });
        // A tag LaunchDarkly's rule refuses makes import say so and exit 1, with the config written.
        expect([0, 1], r.stderr).toContain(r.code);
        expectInert(r.stdout, 'import');
        expectInert(r.stderr, 'import (stderr)');
        const config = parse(r.stdout) as {
          webhooks: { name: string; tags: string[]; statements: Record<string, string[]>[] }[];
        };
        const [written] = config.webhooks;
        expect(written?.name).toBe(name);
        expect(written?.tags).toContain(tag);
        expect(written?.statements[0]?.actions).toEqual([action]);
      }),
      25,
    );
  });
});
