import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/adapters/fs/yaml-source.js';
import { validateConfig } from '../../../src/core/config/validate.js';
import { originOnly, variableEntries } from '../../../src/core/mask.js';
import type { LiveWebhook, Plan } from '../../../src/core/model.js';
import { checkGuards } from '../../../src/core/plan/guards.js';
import { computePlan } from '../../../src/core/plan/plan.js';
import { renderJson } from '../../../src/render/json.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { renderText } from '../../../src/render/text.js';

const SECRET = 'hook-secret-7f3e';
const ENV = {
  HOOK_SECRET: SECRET,
  HOOK_URL: 'https://hooks.example.com/T0KEN',
  HOOK_NAME: 'payments-pager',
};

function config(yaml: string) {
  const result = validateConfig(parseYamlSource('c.yaml', yaml, ENV).documents);
  expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return result;
}

const live = (over: Partial<LiveWebhook> & { id: string }): LiveWebhook => ({
  name: 'a',
  url: 'https://a.example.com',
  on: true,
  tags: ['managed-by-ldhooks'],
  statements: [],
  ...over,
});

const ONE = `version: 1
webhooks:
  - name: a
    url: https://a.example.com
`;

function plan(
  yaml: string,
  liveHooks: LiveWebhook[],
  extra: { adopt?: boolean; targets?: string[]; takeoverFrom?: readonly string[] } = {},
) {
  const c = config(yaml);
  const r = computePlan({ desired: c.webhooks, live: liveHooks, ownerTags: c.ownerTags, ...extra });
  return { ...r, operations: operations(r.plan) };
}

/** What apply would send, with the real name of each change: the operations of the one list. */
const operations = (p: Plan) =>
  p.changes.flatMap((c) => (c.operation ? [{ ...c.operation, name: c.key }] : []));

describe('computePlan', () => {
  it('creates what is not in LaunchDarkly', () => {
    const r = plan(ONE, []);
    expect(r.plan.changes.map((c) => [c.action, c.name, c.reason])).toEqual([
      ['create', 'a', 'not in LaunchDarkly'],
    ]);
    expect(r.operations).toEqual([
      expect.objectContaining({
        action: 'create',
        body: {
          name: 'a',
          url: 'https://a.example.com',
          sign: false,
          on: true,
          tags: ['managed-by-ldhooks'],
        },
      }),
    ]);
  });

  it('shows no change when only order, repeats and defaults differ', () => {
    const r = plan(
      `version: 1
webhooks:
  - name: a
    url: https://a.example.com
    tags: [y, x]
    statements:
      - { effect: allow, resources: ["proj/b", "proj/a"], actions: [updateOn, createFlag] }
      - { effect: deny, resources: ["member/*"], actions: ["*"] }
`,
      [
        live({
          id: '1',
          tags: ['x', 'managed-by-ldhooks', 'y', 'x'],
          statements: [
            { effect: 'deny', resources: ['member/*'], actions: ['*'] },
            {
              actions: ['createFlag', 'updateOn'],
              resources: ['proj/a', 'proj/b'],
              effect: 'allow',
            },
          ],
        }),
      ],
    );
    expect(r.plan.summary).toEqual({ create: 0, update: 0, delete: 0, noop: 1, unmanaged: 0 });
    expect(r.operations).toEqual([]);
  });

  it.each([
    [
      'url',
      { url: 'https://old.example.com' },
      [{ op: 'replace', path: '/url', value: 'https://a.example.com' }],
    ],
    ['on', { on: false }, [{ op: 'replace', path: '/on', value: true }]],
    [
      'tags',
      { tags: ['managed-by-ldhooks', 'stale'] },
      [{ op: 'replace', path: '/tags', value: ['managed-by-ldhooks'] }],
    ],
    [
      'statements removed',
      { statements: [{ effect: 'allow' as const, resources: ['proj/*'], actions: ['*'] }] },
      [{ op: 'remove', path: '/statements' }],
    ],
    [
      'sign: false turns a live secret off with the empty secret',
      { secret: 'old' },
      [{ op: 'replace', path: '/secret', value: '' }],
    ],
  ])('updates %s with a minimal patch', (_, over, patch) => {
    const r = plan(ONE, [live({ id: '1', ...over })]);
    expect(r.plan.changes[0]?.action).toBe('update');
    expect(r.plan.changes[0]?.reason).toBe('differs from config');
    expect(r.operations).toEqual([
      { action: 'update', name: 'a', id: '1', patch, generateSecret: false },
    ]);
  });

  it('patches every changed field in one request, in a fixed order', () => {
    const r = plan(
      `version: 1
webhooks:
  - name: a
    url: https://new.example.com
    on: false
    secret: \${HOOK_SECRET}
    tags: [t]
    statements: [{ effect: allow, resources: ["proj/*"], actions: ["*"] }]
`,
      [live({ id: '1' })],
    );
    expect(r.operations[0]).toEqual({
      action: 'update',
      name: 'a',
      id: '1',
      generateSecret: false,
      patch: [
        { op: 'replace', path: '/url', value: 'https://new.example.com' },
        { op: 'replace', path: '/on', value: false },
        { op: 'replace', path: '/secret', value: SECRET },
        { op: 'replace', path: '/tags', value: ['managed-by-ldhooks', 't'] },
        {
          op: 'replace',
          path: '/statements',
          value: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }],
        },
      ],
    });
    expect(r.plan.changes[0]?.fields.map((f) => f.field)).toEqual([
      'url',
      'on',
      'secret',
      'tags',
      'statements',
    ]);
  });

  it('compares a declared secret with the live one and never shows either', () => {
    const yaml = `version: 1\nwebhooks:\n  - { name: a, url: "https://a.example.com", secret: "\${HOOK_SECRET}" }\n`;
    expect(plan(yaml, [live({ id: '1', secret: SECRET })]).plan.summary.noop).toBe(1);
    const changed = plan(yaml, [live({ id: '1', secret: 'other-secret' })]);
    expect(changed.plan.changes[0]?.fields).toEqual([
      {
        field: 'secret',
        before: '(sensitive)',
        after: '(sensitive)',
        beforeMask: true,
        afterMask: true,
      },
    ]);
    expect(changed.plan.changes[0]?.patch).toEqual([
      { op: 'replace', path: '/secret', value: '(sensitive)' },
    ]);
    expect(JSON.stringify(changed.plan)).not.toContain(SECRET);
    expect(JSON.stringify(changed.plan)).not.toContain('other-secret');
  });

  it('leaves a generated secret alone when sign is true without a secret', () => {
    const yaml = `version: 1\nwebhooks:\n  - { name: a, url: "https://a.example.com", sign: true }\n`;
    const kept = plan(yaml, [live({ id: '1', secret: 'generated-by-ld' })]).plan;
    expect(kept.summary.noop).toBe(1);
    // The secret LaunchDarkly holds is kept: sensitive, not one to make.
    expect(kept.changes[0]?.after?.secret).toBe('(sensitive)');
    const unsigned = plan(yaml, [live({ id: '1' })]);
    // No stand-in ever enters the real patch: apply generates the secret and adds it.
    expect(unsigned.operations[0]).toMatchObject({ generateSecret: true, patch: [] });
    expect(unsigned.plan.changes[0]?.patch).toEqual([
      { op: 'replace', path: '/secret', value: '(generated)' },
    ]);
    expect(unsigned.plan.changes[0]?.patchMask).toEqual([{ value: true }]);
    expect(unsigned.plan.changes[0]?.after?.secret).toBe('(generated)');
  });

  it('shows a created webhook signed without a secret as generated, and a declared one as sensitive', () => {
    const created = plan(
      `version: 1\nwebhooks:\n  - { name: a, url: "https://a.example.com", sign: true }\n  - { name: b, url: "https://b.example.com", secret: declared-5e1a }\n`,
      [],
    ).plan.changes;
    expect(created.map((c) => [c.name, c.after?.secret, c.afterMask])).toEqual([
      ['a', '(generated)', expect.objectContaining({ secret: true })],
      ['b', '(sensitive)', expect.objectContaining({ secret: true })],
    ]);
  });

  it('masks a URL from the environment on both sides', () => {
    const r = plan(`version: 1\nwebhooks:\n  - { name: a, url: "\${HOOK_URL}" }\n`, [
      live({ id: '1', url: 'https://hooks.example.com/OLDTOKEN' }),
    ]);
    expect(r.plan.changes[0]?.fields).toEqual([
      {
        field: 'url',
        before: 'https://hooks.example.com/…',
        after: '${HOOK_URL}',
        beforeMask: false,
        afterMask: true,
      },
    ]);
    const text = JSON.stringify(r.plan);
    expect(text).not.toContain('T0KEN');
    expect(text).not.toContain('OLDTOKEN');
  });

  it('deletes managed webhooks that are not in the config, and never touches unmanaged ones', () => {
    const r = plan(ONE, [
      live({ id: '1' }),
      live({ id: '2', name: 'gone' }),
      live({ id: '3', name: 'someone-elses', tags: ['other'] }),
      live({ id: '4', name: 'untagged', tags: [] }),
    ]);
    expect(r.plan.changes.map((c) => [c.action, c.name, c.id])).toEqual([
      ['no-op', 'a', '1'],
      ['delete', 'gone', '2'],
    ]);
    expect(r.plan.summary).toEqual({ create: 0, update: 0, delete: 1, noop: 1, unmanaged: 2 });
    expect(r.operations).toEqual([{ action: 'delete', name: 'gone', id: '2' }]);
  });

  it('refuses to take over an unmanaged webhook of the same name unless asked', () => {
    const foreign = [live({ id: 'f1', tags: ['manual'] })];
    const refused = plan(ONE, foreign);
    expect(refused.problems.map((p) => [p.code, p.message, p.remedy])).toEqual([
      [
        'plan.adopt-needed',
        'a webhook named "a" already exists in LaunchDarkly (f1) but ldhooks does not manage it',
        'to take it over, set adopt: true on this webhook or pass --adopt; otherwise rename this webhook',
      ],
    ]);
    for (const r of [
      plan(ONE, foreign, { adopt: true }),
      plan(`${ONE}    adopt: true\n`, foreign),
    ]) {
      expect(r.problems).toEqual([]);
      expect(r.plan.changes.map((c) => [c.action, c.reason, c.id])).toEqual([
        ['update', 'adopt', 'f1'],
      ]);
      expect(r.operations[0]).toMatchObject({
        patch: [{ op: 'replace', path: '/tags', value: ['managed-by-ldhooks'] }],
      });
    }
  });

  it('says an untagged webhook at the declared URL may be one another apply is creating', () => {
    const r = plan(ONE, [live({ id: 'f1', tags: [] })]);
    expect(r.problems.map((p) => [p.message, p.remedy])).toEqual([
      [
        'a webhook named "a" already exists in LaunchDarkly (f1) but ldhooks does not manage it; it has no tags at all and the declared URL, as a webhook another apply is creating right now would',
        'if another apply is running, wait for it and plan again; otherwise, to take it over, set adopt: true on this webhook or pass --adopt',
      ],
    ]);
  });

  it('reports two managed webhooks with the same name that differ, listing both ids', () => {
    const r = plan(ONE, [live({ id: 'x1' }), live({ id: 'x2', on: false })]);
    expect(r.problems.map((p) => p.message)).toEqual([
      '2 managed webhooks in LaunchDarkly are named "a" and differ: x1, x2',
    ]);
  });

  it('keeps the smallest id of identical copies (two applies at once) and deletes the others', () => {
    const copies = [
      live({ id: 'c3', url: 'https://old.example.com' }),
      live({ id: 'c1', url: 'https://old.example.com' }),
      live({ id: 'c2', url: 'https://old.example.com' }),
    ];
    for (const order of [copies, [...copies].reverse()]) {
      const r = plan(ONE, order);
      expect(r.problems).toEqual([]);
      expect(r.plan.changes.map((c) => [c.action, c.reason, c.id])).toEqual([
        ['delete', 'duplicate', 'c2'],
        ['delete', 'duplicate', 'c3'],
        ['update', 'differs from config', 'c1'],
      ]);
      expect(renderText(r.plan)).toContain(
        '- a (c2) will be deleted: an identical copy of another webhook of this name (the one with the smallest id stays)',
      );
    }
  });

  it('limits the plan to --target names and rejects unknown ones', () => {
    const yaml = `${ONE}  - { name: b, url: "https://b.example.com" }\n`;
    const r = plan(yaml, [live({ id: '9', name: 'z' })], { targets: ['b'] });
    expect(r.plan.targets).toEqual(['b']);
    expect(r.plan.changes.map((c) => c.name)).toEqual(['b']);
    expect(r.operations.map((o) => o.name)).toEqual(['b']);
    const unknown = plan(yaml, [live({ id: '9', name: 'old-hook' })], {
      targets: ['nope', 'old-hok', 'b'],
    });
    expect(unknown.problems).toEqual([]);
    expect(unknown.unknownTargets).toEqual([
      { target: 'nope' },
      { target: 'old-hok', suggestion: 'old-hook' },
    ]);
  });

  it('suggests a name from the environment as its template, never by its hidden value', () => {
    const yaml = `version: 1\nwebhooks:\n  - { name: "\${HOOK_NAME}", url: "https://b.example.com" }\n`;
    const near = plan(yaml, [], { targets: ['payments-pagr'] });
    expect(near.unknownTargets).toEqual([{ target: 'payments-pagr' }]);
    const typo = plan(yaml, [], { targets: ['${HOOK_NAM}'] });
    expect(typo.unknownTargets).toEqual([{ target: '${HOOK_NAM}', suggestion: '${HOOK_NAME}' }]);
    expect(plan(yaml, [], { targets: ['payments-pager'] }).unknownTargets).toEqual([]);
  });

  it('manages only the owner tags of the config', () => {
    const r = plan(`version: 1\nownerTag: managed-by-team-a\nwebhooks: []\n`, [
      live({ id: '1', name: 'mine', tags: ['managed-by-team-a'] }),
      live({ id: '2', name: 'theirs', tags: ['managed-by-team-b'] }),
      live({ id: '3', name: 'default', tags: ['managed-by-ldhooks'] }),
    ]);
    expect(r.plan.changes.map((c) => [c.action, c.name])).toEqual([['delete', 'mine']]);
    expect(r.plan.summary.unmanaged).toBe(2);
  });

  it('is deterministic: the same inputs in any order give byte-identical JSON', () => {
    const c = config(`version: 1
webhooks:
  - { name: b, url: "https://b.example.com" }
  - { name: a, url: "https://a.example.com", on: false }
  - { name: c, url: "https://c.example.com" }
`);
    const hooks = [
      live({ id: '1', name: 'a' }),
      live({ id: '2', name: 'd' }),
      live({ id: '3', name: 'c', tags: ['managed-by-ldhooks', 'x'] }),
    ];
    const outputs = new Set<string>();
    let runs = 0;
    for (const desired of permutations(c.webhooks)) {
      for (const liveHooks of permutations(hooks)) {
        const r = computePlan({ desired, live: liveHooks, ownerTags: c.ownerTags });
        outputs.add(JSON.stringify({ plan: r.plan, operations: operations(r.plan) }));
        runs += 1;
      }
    }
    expect(runs).toBe(36);
    expect(outputs.size).toBe(1);
    const [only] = outputs;
    expect(JSON.parse(only as string).plan.changes.map((x: { name: string }) => x.name)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('deletes managed webhooks without a name one by one: none can be told apart by name', () => {
    const { name: _a, ...first } = live({ id: '1' });
    const { name: _b, ...second } = live({ id: '2' });
    const r = plan(ONE, [first, second, live({ id: '3' })]);
    expect(r.problems).toEqual([]);
    expect(r.plan.changes.map((c) => [c.action, c.name, c.id])).toEqual([
      ['delete', '(unnamed)', '1'],
      ['delete', '(unnamed)', '2'],
      ['no-op', 'a', '3'],
    ]);
  });

  it('escapes control characters of live names in its problems', () => {
    const named = (id: string) => live({ id, name: 'a\n+ forged', on: id === '1' });
    const r = plan(ONE.replace('name: a', 'name: "a\\n+ forged"'), [named('1'), named('2')]);
    expect(r.problems.map((p) => p.message)).toEqual([
      '2 managed webhooks in LaunchDarkly are named "a\\n+ forged" and differ: 1, 2',
    ]);
  });

  it('compares a live statement with empty lists beside its own as the same statement', () => {
    const yaml = `${ONE}    statements: [{ effect: allow, resources: ["proj/*"], actions: ["*"] }]\n`;
    const odd = {
      effect: 'allow' as const,
      resources: ['proj/*'],
      notResources: [],
      actions: ['*'],
      notActions: [],
    };
    expect(plan(yaml, [live({ id: '1', statements: [odd] })]).plan.summary.noop).toBe(1);
  });

  it('turns signing off with the empty secret, shown as itself', () => {
    const r = plan(ONE.replace('url:', 'sign: false\n    url:'), [
      live({ id: '1', secret: 'old' }),
    ]);
    expect(r.plan.changes[0]?.patch).toEqual([{ op: 'replace', path: '/secret', value: '' }]);
    expect(r.plan.changes[0]?.patchMask).toBe(false);
  });
});

function permutations<T>(list: readonly T[]): T[][] {
  if (list.length <= 1) return [[...list]];
  return list.flatMap((item, i) =>
    permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('checkGuards', () => {
  const managed = (n: number) =>
    Array.from({ length: n }, (_, i) => live({ id: String(i), name: `h${i}` }));
  const guard = (
    yaml: string,
    n: number,
    options: { maxDeletePercent?: number; allowDeleteAll?: boolean; thresholdFrom?: string } = {},
  ) => {
    const c = config(yaml);
    const r = computePlan({ desired: c.webhooks, live: managed(n), ownerTags: c.ownerTags });
    return checkGuards(r.plan, {
      maxDeletePercent: 25,
      allowDeleteAll: false,
      declared: c.webhooks.length,
      ...options,
    });
  };
  const keep = (k: number) =>
    `version: 1\nwebhooks:\n${Array.from({ length: k }, (_, i) => `  - { name: h${i}, url: "https://x.example.com" }\n`).join('')}`;

  it('allows deleting up to the percentage', () => {
    expect(guard(keep(15), 20)).toBeUndefined(); // 5 of 20 = 25%
  });

  it('refuses deleting more than the percentage, naming the flag', () => {
    expect(guard(keep(10), 20)).toEqual({
      guard: 'max-delete-percent',
      message:
        'refusing to delete 10 of 20 managed webhooks (50%, more than --max-delete-percent 25). If that is what you mean, pass --max-delete-percent 50',
      override: '--max-delete-percent 50',
      allow: 'pass --max-delete-percent 50',
    });
    expect(guard(keep(10), 20, { maxDeletePercent: 50 })).toBeUndefined();
  });

  it('offers to raise the threshold where it was set, and the flag, which always wins', () => {
    expect(
      guard(keep(10), 20, {
        maxDeletePercent: 30,
        thresholdFrom: 'maxDeletePercent in .ldhooks.json',
      }),
    ).toEqual({
      guard: 'max-delete-percent',
      message:
        'refusing to delete 10 of 20 managed webhooks (50%, more than the 30% that maxDeletePercent in .ldhooks.json allows). If that is what you mean, raise maxDeletePercent in .ldhooks.json to 50, or pass --max-delete-percent 50',
      override: '--max-delete-percent 50',
      allow: 'raise maxDeletePercent in .ldhooks.json to 50, or pass --max-delete-percent 50',
    });
  });

  it('allows exactly the percentage, with no floating-point error', () => {
    expect(guard(keep(18), 25, { maxDeletePercent: 28 })).toBeUndefined(); // 7 of 25 = 28%
    expect(guard(keep(9), 20, { maxDeletePercent: 55 })).toBeUndefined(); // 11 of 20 = 55%
    expect(guard(keep(17), 25, { maxDeletePercent: 28 })?.guard).toBe('max-delete-percent');
  });

  it('applies the percentage only from 10 managed webhooks: a small account deletes freely', () => {
    expect(guard(keep(1), 3)).toBeUndefined(); // 2 of 3
    expect(guard(keep(1), 9)).toBeUndefined(); // 8 of 9
    expect(guard(keep(2), 10)?.guard).toBe('max-delete-percent'); // 8 of 10
    // The empty-config guard holds for every size.
    expect(guard('version: 1\nwebhooks: []\n', 1)?.guard).toBe('empty-config');
  });

  it('refuses deleting everything because the config declares nothing', () => {
    expect(guard('version: 1\nwebhooks: []\n', 2)?.guard).toBe('empty-config');
    expect(guard('version: 1\nwebhooks: []\n', 2)?.message).toContain('--allow-delete-all');
    expect(guard('version: 1\nwebhooks: []\n', 2)?.override).toBe('--allow-delete-all');
    expect(guard('version: 1\nwebhooks: []\n', 2, { allowDeleteAll: true })).toBeUndefined();
  });
});

describe('values from the environment', () => {
  const env = {
    HOOK_NAME: 'real-hook-name',
    PROJ: 'acme-proj-4411',
    TEAM: 'payments-team',
    OWNER: 'managed-by-payments-team',
    HOOK_SECRET: SECRET,
  };
  const load = (yaml: string) => {
    const result = validateConfig(parseYamlSource('c.yaml', yaml, env).documents);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    return result;
  };
  const formats = (p: Plan) => [renderText(p), renderMarkdown(p), renderJson(p, '0.0.0')];

  it('--target finds a webhook whose name comes from the environment, by its real name or its template', () => {
    const c = load(
      'version: 1\nwebhooks:\n  - { name: "${HOOK_NAME}", url: "https://a.example.com" }\n',
    );
    for (const target of ['real-hook-name', '${HOOK_NAME}']) {
      const r = computePlan({
        desired: c.webhooks,
        live: [],
        ownerTags: c.ownerTags,
        targets: [target],
      });
      expect(r.problems).toEqual([]);
      expect(r.plan.summary.create).toBe(1);
      expect(r.plan.changes.map((ch) => [ch.action, ch.name])).toEqual([
        ['create', '${HOOK_NAME}'],
      ]);
      expect(operations(r.plan)).toEqual([
        expect.objectContaining({ action: 'create', name: 'real-hook-name' }),
      ]);
      expect(r.plan.targets).toEqual(['${HOOK_NAME}']);
      for (const out of formats(r.plan)) expect(out).not.toContain('real-hook-name');
    }
  });

  it('masks a value inside a statement, not the statement: the rest shows in full in every format', () => {
    const c = load(`version: 1
webhooks:
  - name: a
    url: https://a.example.com
    tags: [slack, "\${TEAM}"]
    statements:
      - { effect: allow, resources: ["proj/\${PROJ}:env/production:flag/*"], actions: ["updateOn"] }
      - { effect: deny, resources: ["proj/*:env/test"], actions: ["*"] }
`);
    const r = computePlan({ desired: c.webhooks, live: [], ownerTags: c.ownerTags });
    const change = r.plan.changes[0];
    expect(change?.after?.statements).toEqual([
      { effect: 'allow', resources: ['proj/${PROJ}:env/production:flag/*'], actions: ['updateOn'] },
      { effect: 'deny', resources: ['proj/*:env/test'], actions: ['*'] },
    ]);
    expect(change?.after?.tags).toEqual(['${TEAM}', 'slack']);
    expect(change?.afterMask).toEqual({
      tags: [true, false],
      statements: [{ resources: [true] }, false],
    });
    // Apply sends the real values.
    const operation = change?.operation;
    if (operation?.action !== 'create') throw new Error('expected a create');
    const body = operation.body;
    expect(JSON.stringify(body.statements)).toContain('proj/acme-proj-4411:env/production:flag/*');
    expect(body.tags).toContain('payments-team');
    const [text, markdown, json] = formats(r.plan);
    for (const out of [text, markdown, json] as string[]) {
      expect(out).toContain('proj/${PROJ}:env/production:flag/*');
      expect(out).toContain('proj/*:env/test');
      expect(out).not.toContain('acme-proj-4411');
      expect(out).not.toContain('payments-team');
      expect(out).not.toContain('statements: (none)');
    }
    expect(JSON.parse(json as string).changes[0].after_sensitive).toEqual({
      tags: [true, false],
      statements: [{ resources: [true] }, false],
    });
  });

  it('shows a live value that holds an environment value as its variable, on the live side too', () => {
    const c = load(`version: 1
webhooks:
  - name: a
    url: https://a.example.com
    statements: [{ effect: allow, resources: ["proj/\${PROJ}:env/production"], actions: ["*"] }]
`);
    const r = computePlan({
      desired: c.webhooks,
      live: [
        live({
          id: '1',
          statements: [
            { effect: 'allow', resources: ['proj/acme-proj-4411:env/test'], actions: ['*'] },
          ],
        }),
      ],
      ownerTags: c.ownerTags,
      sensitive: [{ value: 'acme-proj-4411', shown: '${PROJ}' }],
    });
    const field = r.plan.changes[0]?.fields[0];
    expect(field?.before).toEqual([
      { effect: 'allow', resources: ['proj/${PROJ}:env/test'], actions: ['*'] },
    ]);
    expect(field?.beforeMask).toEqual([{ resources: [true] }]);
    for (const out of formats(r.plan)) expect(out).not.toContain('acme-proj-4411');
  });

  it('orders masked lists by what they show, so their order tells nothing of a hidden value', () => {
    const c = load(`version: 1
webhooks:
  - name: a
    url: https://a.example.com
    tags: [zzz, "\${TEAM}", paymentz, payments-t, extra]
    statements:
      - { effect: allow, resources: ["proj/zz", "proj/\${PROJ}", "proj/a"], actions: ["*"] }
      - { effect: allow, resources: ["proj/b"], actions: ["*"] }
`);
    const r = computePlan({ desired: c.webhooks, live: [], ownerTags: c.ownerTags });
    const after = r.plan.changes[0]?.after;
    // By real value, payments-team would sort between payments-t and paymentz.
    expect(after?.tags).toEqual(['${TEAM}', 'extra', 'payments-t', 'paymentz', 'zzz']);
    expect(after?.statements).toEqual([
      { effect: 'allow', resources: ['proj/${PROJ}', 'proj/a', 'proj/zz'], actions: ['*'] },
      { effect: 'allow', resources: ['proj/b'], actions: ['*'] },
    ]);
    expect(r.plan.changes[0]?.afterMask).toEqual({
      tags: [true, false, false, false, false],
      statements: [{ resources: [true, false, false] }, false],
    });
    // What apply sends stays canonical: sorted by the real values.
    const operation = r.plan.changes[0]?.operation;
    if (operation?.action !== 'create') throw new Error('expected a create');
    expect(operation.body.tags).toEqual([
      'extra',
      'managed-by-ldhooks',
      'payments-t',
      'payments-team',
      'paymentz',
      'zzz',
    ]);
  });

  it('shows unchanged masked fields of an update as they are masked, never collapsed', () => {
    const c = load(`version: 1
webhooks:
  - name: a
    url: https://a.example.com
    tags: [slack, "\${TEAM}"]
    statements: [{ effect: allow, resources: ["proj/\${PROJ}"], actions: ["*"] }]
`);
    const r = computePlan({
      desired: c.webhooks,
      live: [
        live({
          id: '1',
          on: false,
          tags: ['managed-by-ldhooks', 'slack', env.TEAM],
          statements: [{ effect: 'allow', resources: [`proj/${env.PROJ}`], actions: ['*'] }],
        }),
      ],
      ownerTags: c.ownerTags,
    });
    const text = renderText(r.plan);
    expect(text).toContain('~ on: false -> true');
    expect(text).toContain('  tags: ["${TEAM}","slack"] (sensitive, unchanged)');
    expect(text).toContain('  statements: (sensitive, unchanged)');
    expect(text).toContain('    - {"effect":"allow","resources":["proj/${PROJ}"],"actions":["*"]}');
  });

  it('shows each webhook its own template when two variables have the same value', () => {
    const c = validateConfig(
      parseYamlSource(
        'c.yaml',
        'version: 1\nwebhooks:\n  - { name: one, url: "${A}" }\n  - { name: two, url: "${B}" }\n',
        { A: 'https://same.example.com/x', B: 'https://same.example.com/x' },
      ).documents,
    );
    const r = computePlan({ desired: c.webhooks, live: [], ownerTags: c.ownerTags });
    expect(r.plan.changes.map((ch) => [ch.name, ch.after?.url])).toEqual([
      ['one', '${A}'],
      ['two', '${B}'],
    ]);
  });

  it("never lets a config declare another config's owner tag among its tags", () => {
    const c = validateConfig([
      ...parseYamlSource(
        'a.yaml',
        'version: 1\nownerTag: managed-by-team-a\nwebhooks:\n  - { name: a, url: "https://a.example.com", tags: [managed-by-team-b] }\n',
        {},
      ).documents,
      ...parseYamlSource('b.yaml', 'version: 1\nownerTag: managed-by-team-b\nwebhooks: []\n', {})
        .documents,
    ]);
    // Hidden from the plan as an owner tag, and marking the webhook as team b's too: refused.
    expect(c.problems.map((p) => p.code)).toEqual(['schema.owner-tag-in-tags']);
  });

  it('masks an owner tag from the environment in the plan', () => {
    const c = load(
      'version: 1\nownerTag: "${OWNER}"\nwebhooks:\n  - { name: a, url: "https://a.example.com" }\n',
    );
    const r = computePlan({ desired: c.webhooks, live: [], ownerTags: c.ownerTags });
    expect(r.plan.ownerTags).toEqual(['${OWNER}']);
    for (const out of formats(r.plan)) expect(out).not.toContain(env.OWNER);
  });
  it('never serializes the real name or the operation of a change', () => {
    const c = load(
      `version: 1\nwebhooks:\n  - { name: "\${HOOK_NAME}", url: "https://a.example.com", secret: "\${HOOK_SECRET}" }\n`,
    );
    const r = computePlan({ desired: c.webhooks, live: [], ownerTags: c.ownerTags });
    const text = JSON.stringify(r.plan);
    expect(text).not.toContain('real-hook-name');
    expect(text).not.toContain(SECRET);
    expect(r.plan.changes[0]?.operation?.action).toBe('create');
  });
});

describe('live URLs', () => {
  it.each([
    ['https://hooks.example.com/services/T0K3N', 'https://hooks.example.com/…'],
    ['https://user:pw@a.example.com', 'https://…@a.example.com'],
    ['https://B.EXAMPLE.com:443/', 'https://B.EXAMPLE.com:443/'],
    ['https://a.example.com?token=x', 'https://a.example.com/…'],
    ['not a url', '(sensitive)'],
  ])(
    'shows %s as %s: scheme and host as written, never a path, query or credentials',
    (url, shown) => {
      expect(originOnly(url)).toBe(shown);
    },
  );

  it('says a URL changed even when what it shows reads the same', () => {
    const r = plan(ONE, [live({ id: '1', url: 'https://user:pw@a.example.com/' })]);
    const text = renderText(r.plan);
    expect(text).toContain('~ url: "https://…@a.example.com/" -> "https://a.example.com"');
    const again = plan(
      `version: 1\nwebhooks:\n  - { name: a, url: "https://a.example.com/x?t=1" }\n`,
      [live({ id: '1', url: 'https://a.example.com/x?t=2' })],
    );
    expect(renderText(again.plan)).toContain(
      '~ url: "https://a.example.com/…" -> "https://a.example.com/x?t=1"',
    );
  });
});

describe('ownership between configs', () => {
  const GROWTH = 'managed-by-team-growth';
  const hook = (tags: string[]) => live({ id: 'f1', name: 'a', tags: ['slack', ...tags] });
  const ADOPT = `${ONE}    adopt: true\n`;

  it.each([
    ['ours', ['managed-by-ldhooks'], 'update', null],
    ['ours, also tagged by another owner', ['managed-by-ldhooks', GROWTH], 'update', null],
    ["another owner's", [GROWTH], 'unmanaged', GROWTH],
    ['unmanaged', [], 'unmanaged', null],
  ] as const)('a live webhook that is %s', (_what, tags, expected, owner) => {
    const r = plan('version: 1\nwebhooks: []\n', [hook([...tags]), live({ id: 'x9', name: 'b' })]);
    expect(r.problems).toEqual([]);
    if (expected === 'update') {
      // Ours: not declared, so deleted; nothing is listed as unmanaged.
      expect(r.plan.changes.map((c) => [c.action, c.id])).toEqual([
        ['delete', 'f1'],
        ['delete', 'x9'],
      ]);
      expect(r.plan.unmanaged).toEqual([]);
    } else {
      // Never changed nor deleted: listed with its owner, or null.
      expect(r.plan.changes.map((c) => [c.action, c.id])).toEqual([['delete', 'x9']]);
      expect(r.plan.unmanaged).toEqual([{ id: 'f1', name: 'a', owner }]);
      expect(r.plan.summary.unmanaged).toBe(1);
    }
  });

  it.each([
    ['adopt: true', ADOPT, {}],
    ['--adopt', ONE, { adopt: true }],
    ['--takeover-from another owner', ONE, { takeoverFrom: ['managed-by-team-other'] }],
  ] as const)("refuses %s of another owner's webhook, naming the owner", (_how, yaml, extra) => {
    const r = plan(yaml, [hook([GROWTH])], { ...extra });
    expect(r.plan.changes).toEqual([]);
    expect(r.problems).toHaveLength(1);
    const p = r.problems[0];
    expect(p?.code).toBe('plan.owned-by-other');
    expect(p?.message).toContain(`"${GROWTH}"`);
    expect(p?.remedy).toContain(`--takeover-from ${GROWTH}`);
  });

  it('says who owns a declared name that is not adopted', () => {
    const r = plan(ONE, [hook([GROWTH])]);
    expect(r.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'plan.owned-by-other',
        `a webhook named "a" already exists in LaunchDarkly (f1) and is owned by another config: "${GROWTH}"`,
      ],
    ]);
  });

  it.each([
    ['alone', ONE, {}],
    ['with adopt: true', ADOPT, {}],
    ['with --adopt', ONE, { adopt: true }],
  ] as const)(
    'takes over a webhook whose owner --takeover-from names, %s: the other tag is replaced by ours',
    (_how, yaml, extra) => {
      const r = plan(yaml, [hook([GROWTH])], { ...extra, takeoverFrom: [GROWTH] });
      expect(r.problems).toEqual([]);
      const [c] = r.plan.changes;
      expect([c?.action, c?.reason, c?.id, c?.takenOverFrom]).toEqual([
        'update',
        'adopt',
        'f1',
        GROWTH,
      ]);
      expect(r.operations).toEqual([
        {
          action: 'update',
          id: 'f1',
          name: 'a',
          patch: [{ op: 'replace', path: '/tags', value: ['managed-by-ldhooks'] }],
          generateSecret: false,
        },
      ]);
      expect(c?.fields.map((f) => [f.field, f.before, f.after])).toEqual([
        ['tags', [GROWTH, 'slack'], []],
      ]);
      expect(r.plan.unmanaged).toEqual([]);
      expect(r.plan.summary.unmanaged).toBe(0);
      const text = renderText(r.plan);
      expect(text).toContain(`~ a (f1) will be taken over from ${GROWTH} and updated`);
      expect(text).toContain(`- - ${GROWTH}`);
      expect(renderMarkdown(r.plan)).toContain('taken over from');
      expect(JSON.parse(renderJson(r.plan, '0.0.0')).changes[0].taken_over_from).toBe(GROWTH);
    },
  );

  it('adopts an unmanaged webhook as before, taken over from no one', () => {
    const r = plan(ADOPT, [hook([])], { takeoverFrom: [GROWTH] });
    expect(r.plan.changes.map((c) => [c.action, c.reason, c.takenOverFrom])).toEqual([
      ['update', 'adopt', undefined],
    ]);
    expect(renderText(r.plan)).toContain('will be adopted and updated');
    expect(JSON.parse(renderJson(r.plan, '0.0.0')).changes[0].taken_over_from).toBeNull();
  });

  it('--takeover-from alone does not adopt an unmanaged webhook', () => {
    const r = plan(ONE, [hook([])], { takeoverFrom: [GROWTH] });
    expect(r.problems.map((p) => p.code)).toEqual(['plan.adopt-needed']);
  });

  it('lists unmanaged webhooks masked and in order, in the plan and its JSON, whatever --target', () => {
    const c = validateConfig(
      parseYamlSource(
        'c.yaml',
        `version: 1\nwebhooks:\n  - { name: a, url: "https://a.example.com" }\n`,
        {
          HOOK_NAME: 'payments-pager',
        },
      ).documents,
    );
    const r = computePlan({
      desired: c.webhooks,
      live: [
        live({ id: 'z1', name: 'zeta', tags: [] }),
        live({ id: 'n1', name: undefined, tags: [GROWTH] }),
        live({ id: 'p1', name: 'payments-pager', tags: ['x'] }),
      ],
      ownerTags: c.ownerTags,
      targets: ['a'],
      sensitive: [{ value: 'payments-pager', shown: '${HOOK_NAME}' }],
    });
    expect(r.plan.unmanaged).toEqual([
      { id: 'n1', name: null, owner: GROWTH },
      { id: 'p1', name: '${HOOK_NAME}', owner: null },
      { id: 'z1', name: 'zeta', owner: null },
    ]);
    expect(JSON.parse(renderJson(r.plan, '0.0.0')).unmanaged).toEqual(r.plan.unmanaged);
    expect(renderText(r.plan)).not.toContain('zeta');
    const shown = renderText(r.plan, undefined, { showUnmanaged: true });
    expect(shown).toContain(
      [
        'Not managed by this config (3):',
        `  (unnamed) (n1): owned by ${GROWTH}`,
        '  ${HOOK_NAME} (p1): unmanaged',
        '  zeta (z1): unmanaged',
      ].join('\n'),
    );
    expect(shown).not.toContain('payments-pager');
  });
});

describe('an owner tag from LaunchDarkly in a problem', () => {
  it('is escaped in the message and the remedy', () => {
    const c = config(ONE);
    const r = computePlan({
      desired: c.webhooks,
      live: [live({ id: 'f1', tags: ['managed-by-x\nforged'] })],
      ownerTags: c.ownerTags,
      adopt: true,
    });
    const [p] = r.problems;
    expect(p?.code).toBe('plan.owned-by-other');
    expect(`${p?.message}${p?.remedy}`).not.toContain('\n');
    expect(p?.remedy).toContain('--takeover-from managed-by-x\\nforged');
  });
});

describe('masking in what a plan says: values masked, never its own words', () => {
  const env = { E: 'e', PROJ: 'web', HOOK_NAME: 'real-hook-name', TEAM: 'acme-proj-4411' };
  const load = (yaml: string) => {
    const result = validateConfig(parseYamlSource('c.yaml', yaml, env).documents);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    return result;
  };
  const YAML = `version: 1
webhooks:
  - name: web-alerts
    url: https://hooks.example.com/webhooks/in
    statements: [{ effect: allow, resources: ["proj/\${E}:env/\${PROJ}"], actions: ["*"] }]
  - { name: "\${HOOK_NAME}", url: "https://b.example.com", tags: ["\${TEAM}"] }
`;
  const problems = (liveHooks: LiveWebhook[]) => {
    const c = load(YAML);
    return computePlan({
      desired: c.webhooks,
      live: liveHooks,
      ownerTags: c.ownerTags,
      sensitive: variableEntries(
        c.webhooks.flatMap((d) => d.sensitive),
        env,
      ),
    });
  };

  it('a problem quotes names and owner tags masked as values, in its own words', () => {
    const r = problems([
      live({ id: 'f1', name: 'web-alerts', tags: ['managed-by-web-team'] }),
      live({ id: 'f2', name: 'real-hook-name', tags: ['managed-by-acme-proj-4411'] }),
    ]);
    expect(r.problems.map((p) => [p.message, p.remedy])).toEqual([
      [
        'a webhook named "web-alerts" already exists in LaunchDarkly (f1) and is owned by another config: "managed-by-web-team"',
        'rename this webhook; or, to take it over from that config, pass --takeover-from managed-by-web-team (and remove it from that config)',
      ],
      [
        // A value from the environment is the whole name; a long one is inside the owner tag.
        'a webhook named "${HOOK_NAME}" already exists in LaunchDarkly (f2) and is owned by another config: "managed-by-${TEAM}"',
        'rename this webhook; or, to take it over from that config, pass --takeover-from managed-by-${TEAM} (and remove it from that config)',
      ],
    ]);
  });

  it('lists unmanaged webhooks by their names as they are, but for values from the environment', () => {
    const r = problems([
      live({ id: 'u1', name: 'web-dashboard', tags: [] }),
      live({ id: 'u2', name: 'e', tags: ['managed-by-acme-proj-4411'] }),
      live({ id: 'u3', name: 'real-hook-name-old', tags: [] }),
    ]);
    expect(r.plan.unmanaged).toEqual([
      { id: 'u2', name: '${E}', owner: 'managed-by-${TEAM}' },
      { id: 'u3', name: '${HOOK_NAME}-old', owner: null },
      { id: 'u1', name: 'web-dashboard', owner: null },
    ]);
    const text = renderText(r.plan, undefined, { showUnmanaged: true });
    expect(text).toContain('  web-dashboard (u1): unmanaged');
    expect(text).toContain('+ web-alerts will be created');
    expect(text).toContain('"resources":["proj/${E}:env/${PROJ}"],"actions":["*"]');
    expect(text).not.toContain('real-hook-name');
    expect(text).not.toContain('acme-proj-4411');
  });
});
