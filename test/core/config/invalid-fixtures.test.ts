import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/adapters/fs/config-source.js';
import { formatProblem, type Problem } from '../../../src/core/problem.js';
import { ROOT } from '../../support/paths.js';

const FIXTURES = 'test/fixtures/invalid';
const ENV = { LDHOOKS_TEST_SECRET: 's3cr3t-fixture-value' };

/** [location, path, severity, message] per problem, in the order they are reported. */
type Expected = [string, string, string, string][];

const shortFile = (f: string) => f.replace(`${FIXTURES}/`, '');
const located = (p: Problem) => `${shortFile(p.file)}${p.line > 0 ? `:${p.line}:${p.col}` : ''}`;

// One fixture per failure mode; each names the exact place and the exact message.
const CASES: [string, Expected][] = [
  [
    'alias-bomb.yaml',
    [
      [
        'alias-bomb.yaml:7:8',
        'g[0]',
        'error',
        'the document expands to more than 1000000 values once its aliases are expanded (alias *f alone adds 597871); aliases that multiply like this ("billion laughs") are refused',
      ],
    ],
  ],
  [
    'bare-star-action.yaml',
    [
      [
        'bare-star-action.yaml:8:19',
        'webhooks[0].statements[0].actions[0]',
        'error',
        'YAML syntax: a bare * is a YAML alias (a reference to an &anchor), not the text "*"',
      ],
    ],
  ],
  [
    // The rules and policies of a well-formed webhook run beside a broken one.
    'broken-beside-well-formed.yaml',
    [
      ['broken-beside-well-formed.yaml:5:5', 'webhooks[0].colour', 'error', 'unknown key "colour"'],
      [
        'broken-beside-well-formed.yaml:8:13',
        'webhooks[1].secret',
        'warning',
        'the secret is written in the file, where everyone who reads the repository sees it',
      ],
      [
        'broken-beside-well-formed.yaml:9:5',
        'webhooks[1].sign',
        'error',
        'webhook declares a secret but sets sign: false',
      ],
      [
        'broken-beside-well-formed.yaml:12:44',
        'webhooks[1].statements[0].resources[0]',
        'warning',
        'unknown resource kind "flg" at column 23, did you mean "flag"?',
      ],
      [
        'broken-beside-well-formed.yaml:13:19',
        'webhooks[1].statements[0].actions[0]',
        'warning',
        'unknown action "updateOnn", did you mean "updateOn"?',
      ],
    ],
  ],
  [
    'bad-effect.yaml',
    [
      [
        'bad-effect.yaml:6:17',
        'webhooks[0].statements[0].effect',
        'error',
        'effect must be "allow" or "deny", not "permit"',
      ],
    ],
  ],
  [
    'bad-owner-tag.yaml',
    [
      [
        'bad-owner-tag.yaml:2:11',
        'ownerTag',
        'error',
        'ownerTag "team/payments" must start with "managed-by-": owner tags are how every config recognises the webhooks another config owns',
      ],
    ],
  ],
  [
    'bad-tag.yaml',
    [
      [
        'bad-tag.yaml:5:16',
        'webhooks[0].tags[1]',
        'error',
        'tag "has space" breaks LaunchDarkly\'s tag rule',
      ],
    ],
  ],
  [
    'both-actions.yaml',
    [
      [
        'both-actions.yaml:9:9',
        'webhooks[0].statements[0].notActions',
        'error',
        'a statement takes actions or notActions, not both',
      ],
    ],
  ],
  [
    'both-resources.yaml',
    [
      [
        'both-resources.yaml:8:9',
        'webhooks[0].statements[0].notResources',
        'error',
        'a statement takes resources or notResources, not both',
      ],
    ],
  ],
  [
    'comments-only.yaml',
    [['comments-only.yaml:1:1', '', 'error', 'the file holds no YAML document']],
  ],
  [
    'duplicate-key.yaml',
    [
      [
        'duplicate-key.yaml:5:5',
        'webhooks[0].url',
        'error',
        'YAML syntax: Map keys must be unique',
      ],
    ],
  ],
  [
    'duplicate-names',
    [
      [
        'duplicate-names/a.yaml:3:11',
        'webhooks[0].name',
        'error',
        'duplicate webhook name "slack-alerts", also declared at test/fixtures/invalid/duplicate-names/b.yaml:5:11',
      ],
      [
        'duplicate-names/b.yaml:5:11',
        'webhooks[1].name',
        'error',
        'duplicate webhook name "slack-alerts", also declared at test/fixtures/invalid/duplicate-names/a.yaml:3:11',
      ],
    ],
  ],
  ['empty-file.yaml', [['empty-file.yaml:1:1', '', 'error', 'the file holds no YAML document']]],
  [
    'empty-name.yaml',
    [['empty-name.yaml:3:11', 'webhooks[0].name', 'error', 'name must not be empty']],
  ],
  [
    'empty-not-actions.yaml',
    [
      [
        'empty-not-actions.yaml:8:21',
        'webhooks[0].statements[0].notActions',
        'error',
        'notActions must not be an empty list',
      ],
    ],
  ],
  [
    'empty-resources.yaml',
    [
      [
        'empty-resources.yaml:7:20',
        'webhooks[0].statements[0].resources',
        'error',
        'resources must not be an empty list',
      ],
    ],
  ],
  [
    'empty-webhook-entry.yaml',
    [
      [
        'empty-webhook-entry.yaml:3:4',
        'webhooks[0]',
        'error',
        'each item of webhooks must be a mapping, not empty (null)',
      ],
    ],
  ],
  [
    'malformed-variable.yaml',
    [
      [
        'malformed-variable.yaml:4:19',
        'webhooks[0].url',
        'error',
        'malformed variable reference "${1HOST}"',
      ],
    ],
  ],
  [
    'malformed-yaml.yaml',
    [
      [
        'malformed-yaml.yaml:4:1',
        '',
        'error',
        'YAML syntax: Flow map in block collection must be sufficiently indented and end with a }',
      ],
      [
        'malformed-yaml.yaml:4:1',
        '',
        'error',
        'YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    ],
  ],
  [
    'missing-effect.yaml',
    [
      [
        'missing-effect.yaml:6:9',
        'webhooks[0].statements[0]',
        'error',
        'missing required key "effect"',
      ],
    ],
  ],
  [
    'missing-name.yaml',
    [['missing-name.yaml:3:5', 'webhooks[0]', 'error', 'missing required key "name"']],
  ],
  [
    'missing-url.yaml',
    [['missing-url.yaml:3:5', 'webhooks[0]', 'error', 'missing required key "url"']],
  ],
  [
    'missing-version.yaml',
    [['missing-version.yaml:1:1', '', 'error', 'missing required key "version"']],
  ],
  [
    'name-not-string.yaml',
    [
      [
        'name-not-string.yaml:3:11',
        'webhooks[0].name',
        'error',
        'name must be a string, not an integer',
      ],
    ],
  ],
  ['no-configs', [['no-configs', '', 'error', 'the directory holds no .yaml or .yml files']]],
  [
    'no-resources.yaml',
    [
      [
        'no-resources.yaml:6:9',
        'webhooks[0].statements[0]',
        'error',
        'a statement needs resources or notResources',
      ],
    ],
  ],
  [
    'non-http-url.yaml',
    [
      [
        'non-http-url.yaml:4:10',
        'webhooks[0].url',
        'error',
        'url must be an absolute http(s) URL, not "ftp://files.example.com/hook"',
      ],
    ],
  ],
  ['not-yaml.txt', [['not-yaml.txt:1:1', '', 'error', 'the document is a string, not a mapping']]],
  [
    'on-not-boolean.yaml',
    [['on-not-boolean.yaml:5:9', 'webhooks[0].on', 'error', 'on must be a boolean, not a string']],
  ],
  [
    'recursive-alias.yaml',
    [
      [
        'recursive-alias.yaml:5:11',
        'webhooks[0].tags',
        'error',
        'alias *hooks refers to a value that contains it',
      ],
    ],
  ],
  [
    'relative-url.yaml',
    [
      [
        'relative-url.yaml:4:10',
        'webhooks[0].url',
        'error',
        'url must be an absolute http(s) URL, not "/hooks/launchdarkly"',
      ],
    ],
  ],
  [
    'secret-with-defaults-sign-false.yaml',
    [
      [
        'secret-with-defaults-sign-false.yaml:3:3',
        'defaults.sign',
        'error',
        'webhook declares a secret but inherits from defaults sign: false',
      ],
    ],
  ],
  [
    'secret-with-sign-false.yaml',
    [
      [
        'secret-with-sign-false.yaml:6:5',
        'webhooks[0].sign',
        'error',
        'webhook declares a secret but sets sign: false',
      ],
    ],
  ],
  [
    'sign-quoted-boolean.yaml',
    [
      [
        'sign-quoted-boolean.yaml:5:11',
        'webhooks[0].sign',
        'error',
        'sign must be a boolean, not a string',
      ],
    ],
  ],
  [
    'tab-indent.yaml',
    [
      ['tab-indent.yaml:3:1', '', 'error', 'YAML syntax: Tabs are not allowed as indentation'],
      ['tab-indent.yaml:4:1', '', 'error', 'YAML syntax: Tabs are not allowed as indentation'],
    ],
  ],
  [
    'tag-too-long.yaml',
    [
      [
        'tag-too-long.yaml:5:12',
        'webhooks[0].tags[0]',
        'error',
        'tag "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" breaks LaunchDarkly\'s tag rule',
      ],
    ],
  ],
  [
    'tags-not-list.yaml',
    [['tags-not-list.yaml:5:11', 'webhooks[0].tags', 'error', 'tags must be a list, not a string']],
  ],
  [
    'unknown-alias.yaml',
    [['unknown-alias.yaml:4:10', 'webhooks[0].url', 'error', 'alias *nowhere refers to no anchor']],
  ],
  [
    'unknown-key-defaults.yaml',
    [['unknown-key-defaults.yaml:3:3', 'defaults.tag', 'error', 'unknown key "tag"']],
  ],
  [
    'unknown-key-root.yaml',
    [['unknown-key-root.yaml:2:1', 'owner', 'error', 'unknown key "owner"']],
  ],
  [
    'unknown-key-statement.yaml',
    [
      [
        'unknown-key-statement.yaml:9:9',
        'webhooks[0].statements[0].action',
        'error',
        'unknown key "action"',
      ],
    ],
  ],
  [
    'unknown-key-webhook.yaml',
    [
      ['unknown-key-webhook.yaml:3:5', 'webhooks[0]', 'error', 'missing required key "url"'],
      ['unknown-key-webhook.yaml:4:5', 'webhooks[0].urll', 'error', 'unknown key "urll"'],
    ],
  ],
  [
    'unset-variable.yaml',
    [
      [
        'unset-variable.yaml:4:10',
        'webhooks[0].url',
        'error',
        'environment variable LDHOOKS_TEST_UNSET_URL is not set',
      ],
    ],
  ],
  [
    // A number is not a text, and only that: no owner-tag complaint about a tag that is no text.
    'tag-not-string.yaml',
    [
      [
        'tag-not-string.yaml:5:16',
        'webhooks[0].tags[1]',
        'error',
        'each item of tags must be a string, not an integer',
      ],
    ],
  ],
  [
    'owner-tag-in-tags.yaml',
    [
      [
        'owner-tag-in-tags.yaml:5:19',
        'webhooks[0].tags[1]',
        'error',
        'tag "managed-by-team-b" is an owner tag: it would mark the webhook as owned by that config too',
      ],
    ],
  ],
  [
    'owner-tag-without-prefix.yaml',
    [
      [
        'owner-tag-without-prefix.yaml:2:11',
        'ownerTag',
        'error',
        'ownerTag "team-payments" must start with "managed-by-": owner tags are how every config recognises the webhooks another config owns',
      ],
    ],
  ],
  ['version-2.yaml', [['version-2.yaml:1:10', 'version', 'error', 'unsupported config version 2']]],
  [
    'webhooks-not-list.yaml',
    [['webhooks-not-list.yaml:3:3', 'webhooks', 'error', 'webhooks must be a list, not a mapping']],
  ],
];

describe('invalid fixtures', () => {
  it('has a case for every fixture file and at least 25 of them', async () => {
    const { readdir } = await import('node:fs/promises');
    const names = (await readdir(path.join(ROOT, FIXTURES))).sort();
    expect(CASES.map(([name]) => name).sort()).toEqual(names);
    expect(names.length).toBeGreaterThanOrEqual(25);
  });

  const reportsExactly = async (name: string, expected: Expected) => {
    const result = await readConfig([`${FIXTURES}/${name}`], { env: ENV, cwd: ROOT });
    const actual = result.problems.map((p) => [located(p), p.path, p.severity, p.message]);
    expect(actual).toEqual(expected);
    for (const p of result.problems) {
      expect(p.remedy, `${formatProblem(p)} has a remedy`).toMatch(/\S/);
      expect(formatProblem(p)).toContain(p.message);
    }
  };

  it.each(CASES)('%s', reportsExactly);
});

describe('inputs made at test time', () => {
  const tmp = () => mkdtemp(path.join(tmpdir(), 'ldhooks-invalid-'));

  it('refuses a 10 MB file without reading it', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'huge.yaml');
    const line = '# padding padding padding padding padding padding padding padding padding\n';
    await writeFile(
      file,
      `version: 1\nwebhooks: []\n${line.repeat(Math.ceil(10_000_000 / line.length))}`,
    );
    const result = await readConfig([file], { env: {}, cwd: dir });
    expect(result.problems.map(formatProblem)).toEqual([
      'huge.yaml  the file is 9.5 MiB, over the 8.0 MiB limit for a config file  (split the webhooks over several smaller files, or check that this is the file you meant)',
    ]);
  });

  it('refuses a binary file', async () => {
    const dir = await tmp();
    await writeFile(
      path.join(dir, 'logo.yaml'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
    );
    const result = await readConfig(['logo.yaml'], { env: {}, cwd: dir });
    expect(result.problems.map(formatProblem)).toEqual([
      'logo.yaml  not a text file (it contains NUL bytes)  (pass YAML config files only)',
    ]);
  });

  it('says to save UTF-16 text as UTF-8', async () => {
    const dir = await tmp();
    const utf16 = Buffer.from('\ufeffversion: 1\nwebhooks: []\n', 'utf16le');
    await writeFile(path.join(dir, 'wide.yaml'), utf16);
    const result = await readConfig(['wide.yaml'], { env: {}, cwd: dir });
    expect(result.problems.map(formatProblem)).toEqual([
      'wide.yaml  the file is UTF-16 text; ldhooks reads UTF-8  (save the file as UTF-8 (most editors offer it under "encoding"))',
    ]);
  });

  it('refuses brackets nested past the parser with one problem, not hundreds', async () => {
    const dir = await tmp();
    await writeFile(
      path.join(dir, 'deep.yaml'),
      `version: 1\nwebhooks: []\nx: ${'['.repeat(100_000)}\n`,
    );
    const result = await readConfig(['deep.yaml'], { env: {}, cwd: dir });
    expect(result.problems.map((p) => [p.code, p.line, p.message])).toEqual([
      ['yaml.too-deep', 3, 'values are nested more than 64 levels deep'],
    ]);
  });

  it('refuses text that is not UTF-8', async () => {
    const dir = await tmp();
    await writeFile(
      path.join(dir, 'latin1.yaml'),
      Buffer.from('version: 1\nwebhooks: []\n# caf\xe9\n', 'latin1'),
    );
    const result = await readConfig(['latin1.yaml'], { env: {}, cwd: dir });
    expect(result.problems.map(formatProblem)).toEqual([
      'latin1.yaml  not UTF-8 text  (save the file as UTF-8 YAML)',
    ]);
  });

  it('reports a path that does not exist', async () => {
    const dir = await tmp();
    const result = await readConfig(['nowhere/hooks.yaml'], { env: {}, cwd: dir });
    expect(result.problems.map(formatProblem)).toEqual([
      'nowhere/hooks.yaml  no such file or directory  (check the path; PATH arguments are config files or directories)',
    ]);
  });

  it('refuses nesting deeper than the limit', async () => {
    const dir = await tmp();
    await writeFile(
      path.join(dir, 'deep.yaml'),
      `version: 1\nwebhooks: []\nx: ${'['.repeat(100)}${']'.repeat(100)}\n`,
    );
    const result = await readConfig(['deep.yaml'], { env: {}, cwd: dir });
    expect(result.problems.map((p) => [p.line, p.message])).toEqual([
      [3, 'values are nested more than 64 levels deep'],
    ]);
  });

  it('does not let a broken file hide the problems of another', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'a.yaml'), 'version: 1\nwebhooks: [\n');
    await writeFile(
      path.join(dir, 'b.yaml'),
      'version: 1\nwebhooks:\n  - name: x\n    url: nope\n',
    );
    const result = await readConfig([dir], { env: {}, cwd: dir });
    expect(result.problems.map((p) => `${p.file}:${p.line}`)).toEqual(['a.yaml:3', 'b.yaml:4']);
  });

  it('never shows a value that came from the environment', async () => {
    const dir = await tmp();
    const secretUrl = 'ftp://hooks.example.com/T0K3N-never-shown';
    await writeFile(
      path.join(dir, 'env.yaml'),
      'version: 1\nwebhooks:\n  - name: a\n    url: ${HOOK_URL}\n    tags: ["${HOOK_TAG}"]\n',
    );
    const result = await readConfig(['env.yaml'], {
      env: { HOOK_URL: secretUrl, HOOK_TAG: 'bad tag T0K3N' },
      cwd: dir,
    });
    const text = result.problems.map(formatProblem).join('\n');
    expect(result.problems.map((p) => p.path)).toEqual(['webhooks[0].url', 'webhooks[0].tags[0]']);
    expect(text).toContain('"${HOOK_URL}" (from the environment, not shown)');
    expect(text).toContain('"${HOOK_TAG}" (from the environment, not shown)');
    expect(text).not.toContain('T0K3N');
  });
});
