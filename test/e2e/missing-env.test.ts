import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// A pull request from a fork has no secrets: validate and explain must still check everything
// that does not need the values.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-missing-env-'));
  await writeFile(
    path.join(dir, 'hooks.yaml'),
    `version: 1
webhooks:
  - name: slack
    url: \${SLACK_URL}
    secret: \${HOOK_SECRET}
    statements:
      - { effect: allow, resources: ["proj/\${PROJ}:env/production:flag/*"], actions: ["*"] }
      - { effect: allow, resources: ["proj/*:env/production:flg/*"], actions: ["updateOn"] }
  - name: audit
    url: https://audit.example.com/in
    on: maybe
`,
  );
});

const validate = (args: string[]) =>
  runCli(['validate', ...args], { cwd: dir, env: {}, offline: true });

describe('validate --allow-missing-env', () => {
  it('without it, every unset variable is an error', async () => {
    const r = await validate(['.']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('environment variable SLACK_URL is not set');
  });

  it('treats unset variables as unknown and still reports every other problem', async () => {
    const r = await validate(['.', '--allow-missing-env']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('is not set');
    // The schema error of another webhook and the lint of a statement without placeholders stay.
    expect(r.stderr).toMatch(/hooks\.yaml:11:9 {2}webhooks\[1\]\.on {2}on must be a boolean/);
    expect(r.stderr).toContain('unknown resource kind "flg"');
    expect(r.stderr).toContain(
      'not set, so treated as unknown (the checks that need their values were passed by): HOOK_SECRET, PROJ, SLACK_URL',
    );
    expect(r.stderr).not.toMatch(/url must be an absolute/);
  });

  it('still refuses a placeholder where a non-string value belongs: text is text whatever it holds', async () => {
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      'version: 1\nwebhooks:\n  - { name: a, url: "https://a.example.com", on: "${ON}" }\n',
    );
    const r = await validate(['.', '--allow-missing-env']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('on must be a boolean, not a string');
  });

  it('passes a config whose only gaps are the unset variables, and says which in JSON', async () => {
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      'version: 1\nwebhooks:\n  - { name: slack, url: "${SLACK_URL}", secret: "${HOOK_SECRET}" }\n',
    );
    const r = await validate(['.', '--allow-missing-env', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.valid).toBe(true);
    expect(doc.unset_variables).toEqual(['HOOK_SECRET', 'SLACK_URL']);
  });
});

describe('explain without the variables', () => {
  it('needs no value and never talks of LaunchDarkly', async () => {
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      `version: 1
webhooks:
  - name: \${HOOK_NAME}
    url: \${SLACK_URL}
    statements: [{ effect: allow, resources: ["proj/*:env/production:flag/*"], actions: ["*"] }]
`,
    );
    const r = await runCli(
      ['explain', '--resource', 'proj/x:env/production:flag/y', '--action', 'updateOn', '.'],
      { cwd: dir, env: {}, offline: true },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('${HOOK_NAME} receives it');
    expect(r.stdout + r.stderr).not.toContain('LaunchDarkly');
  });

  it('says "may receive" where an unset value decides, never a confident answer', async () => {
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      `version: 1
webhooks:
  - name: denyer
    url: https://d.example.com
    statements:
      - { effect: allow, resources: ["proj/*:env/*:flag/*"], actions: ["*"] }
      - { effect: deny, resources: ["proj/\${PROJ}:env/*:flag/*"], actions: ["*"] }
  - name: envaction
    url: https://e.example.com
    statements: [{ effect: allow, resources: ["proj/*:env/*:flag/*"], actions: ["\${ACT}"] }]
`,
    );
    const r = await runCli(
      ['explain', '--resource', 'proj/mobile:env/production:flag/y', '--action', 'updateOn', '.'],
      { cwd: dir, env: {}, offline: true },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\? denyer may receive, depending on \$\{PROJ\}/);
    expect(r.stdout).toMatch(/\? envaction may receive, depending on \$\{ACT\}/);
    expect(r.stdout).toContain('ldhooks cannot evaluate values of variables that are not set');
    expect(r.stderr).toContain('not set, so treated as unknown');
    expect(r.stderr).toContain('ACT, PROJ');
    const set = await runCli(
      ['explain', '--resource', 'proj/mobile:env/production:flag/y', '--action', 'updateOn', '.'],
      { cwd: dir, env: { PROJ: 'mobile', ACT: 'updateOn' }, offline: true },
    );
    expect(set.stdout).toMatch(/^- denyer does not receive it: denied/m);
    expect(set.stdout).toMatch(/^\+ envaction receives it/m);
  });
});

describe('names that hold an unset variable', () => {
  it('are unknown: never a duplicate of a name written as the same text', async () => {
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      `version: 1
webhooks:
  - name: \${A}
    url: https://a.example.com/in
  - name: $\${A}
    url: https://b.example.com/in
`,
    );
    const r = await validate(['.', '--allow-missing-env']);
    expect(r.stderr).not.toContain('duplicate');
    expect(r.code).toBe(0);
    // Set, the variable gives a name that is no duplicate either.
    const set = await runCli(['validate', '.'], { cwd: dir, env: { A: 'x' }, offline: true });
    expect(set.code).toBe(0);
  });
});

describe('a name declared many times', () => {
  it('names three other places and counts the rest', async () => {
    const hooks = Array.from(
      { length: 6 },
      (_, i) => `  - name: same\n    url: https://x.example.com/${i}\n`,
    );
    await writeFile(path.join(dir, 'hooks.yaml'), `version: 1\nwebhooks:\n${hooks.join('')}`);
    const r = await validate(['.']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.includes('duplicate webhook name'));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toContain(
      'duplicate webhook name "same", also declared at hooks.yaml:5:11, hooks.yaml:7:11, hooks.yaml:9:11 and 2 more places',
    );
    expect(lines[5]).toContain(
      'also declared at hooks.yaml:3:11, hooks.yaml:5:11, hooks.yaml:7:11 and 2 more places',
    );
  });
});

describe('a webhook that is an alias of another', () => {
  it('is placed where it is written, not where the anchor is', async () => {
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      `version: 1
webhooks:
  - &hook
    name: twice
    url: https://x.example.com/in
  - *hook
`,
    );
    const r = await validate(['.']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.includes('duplicate webhook name'));
    expect(lines).toEqual([
      expect.stringMatching(/^hooks\.yaml:4:11 .*also declared at hooks\.yaml:6:5 /),
      expect.stringMatching(/^hooks\.yaml:6:5 .*also declared at hooks\.yaml:4:11 /),
    ]);
  });
});
