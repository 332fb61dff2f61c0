import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// An alias to no anchor stands in as null: wherever it sits, it is a problem at its place, and
// nothing is built from it (a null webhook, list, document or statement once crashed the run).
const CASES: [string, string, string][] = [
  ['a webhook', 'version: 1\nwebhooks:\n  - *h\n', 'f.yaml:3:5  webhooks[0]  alias *h'],
  ['the list', 'version: 1\nwebhooks: *h\n', 'f.yaml:2:11  webhooks  alias *h'],
  ['the document', '*h\n', 'f.yaml:1:1  (document)  alias *h'],
  [
    'a statement',
    'version: 1\nwebhooks:\n  - name: a\n    url: https://x.example.com\n    statements: [*s]\n',
    'f.yaml:5:18  webhooks[0].statements[0]  alias *s',
  ],
  [
    'a webhook, its anchor in an earlier document',
    'version: 1\nwebhooks:\n  - &h {name: a, url: "https://x.example.com"}\n---\nversion: 1\nwebhooks:\n  - *h\n',
    'f.yaml:7:5  webhooks[0]  alias *h',
  ],
];

describe('an alias to no anchor', () => {
  it.each(CASES)('in place of %s is a problem at its place', async (_, text, expected) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-alias-'));
    await writeFile(path.join(dir, 'f.yaml'), text);
    await writeFile(path.join(dir, 'g.yaml'), 'version: 2\nwebhooks: []\n');
    const r = await runCli(['validate', '.'], { cwd: dir, env: {}, offline: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${expected} refers to no anchor`);
    // The other file's problem is still told.
    expect(r.stderr).toContain('g.yaml:1:10');
    expect(r.stderr).not.toMatch(/Cannot|TypeError|null/);
    const json = await runCli(['validate', '.', '--format', 'json'], {
      cwd: dir,
      env: {},
      offline: true,
    });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).problems.map((p: { code: string }) => p.code)).toContain(
      'yaml.unknown-alias',
    );
  });
});
