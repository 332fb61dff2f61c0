import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalStatements } from '../../src/core/config/statements.js';
import {
  FRAGMENT,
  type MaskEntry,
  Masker,
  SENSITIVE,
  variableEntries,
} from '../../src/core/mask.js';
import type { DesiredWebhook, LiveWebhook, Plan } from '../../src/core/model.js';
import { computePlan } from '../../src/core/plan/plan.js';
import { sortedUnique } from '../../src/core/sorted-unique.js';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { check } from '../support/property.js';

// Masking hides values, never structure (README, "What is never printed"): whatever the
// environment holds, a plan's keys, its patch operations and paths, its actions and field names
// are ldhooks' own words and show as written; a value from the environment shows as its template
// wherever it is the whole value; inside a longer value, one of FRAGMENT characters or more is
// masked, a shorter one is left as written.

const OWNER = 'managed-by-ldhooks';

/** ldhooks' own words, and the letters and signs they are made of: what masking must not touch. */
const WORDS = [
  ...['replace', 'remove', 'add', 'test', 'update', 'create', 'delete', 'no-op'],
  ...['/url', '/on', '/secret', '/tags', '/statements', '/name', 'url', 'on', 'tags', 'name'],
  ...['statements', 'secret', 'sign', 'effect', 'resources', 'actions', 'allow', 'deny', 'op'],
  ...['path', 'value', 'differs from config', 'not in config', 'not in LaunchDarkly', OWNER],
  ...['e', 't', 'a', 'r', 'o', '/', ':', '-', '"', '*', '(sensitive)', '$', '${', '\\', 'web'],
];
const value = fc.oneof(fc.constantFrom(...WORDS), fc.string({ minLength: 1, maxLength: 10 }));

/** A webhook as the config normalizes it, with `sensitive` as the config reader makes it. */
function desired(
  over: Partial<DesiredWebhook> & Pick<DesiredWebhook, 'name' | 'sensitive'>,
): DesiredWebhook {
  return {
    url: 'https://hooks.example.com/webhooks/in',
    on: true,
    sign: false,
    tags: [OWNER],
    statements: [],
    ownerTag: OWNER,
    adopt: false,
    statementSources: [],
    origin: { file: 'c.yaml', line: 1, col: 1, pointer: '/webhooks/0', document: 0 },
    ...over,
  };
}

const live = (over: Partial<LiveWebhook> & { id: string; name: string }): LiveWebhook => ({
  url: 'https://hooks.example.com/webhooks/old',
  on: false,
  tags: [OWNER, 'old'],
  statements: [{ effect: 'deny', resources: ['proj/old'], actions: ['*'] }],
  ...over,
});

/**
 * A plan with values from the environment in a resource, an action and a tag, and a secret:
 * one update that patches every field, one create, one delete. Planned once as the CLI plans it
 * and once with nothing known as sensitive, the reference for what ldhooks itself writes.
 */
function plans(env: { A: string; B: string; C: string; S: string }) {
  const resource = `proj/${env.A}:env/production`;
  const sensitive: MaskEntry[] = [
    { value: env.S, shown: SENSITIVE },
    { value: resource, shown: 'proj/${A}:env/production' },
    { value: env.B, shown: '${B}' },
    { value: env.C, shown: '${C}' },
  ];
  const hooks = [
    desired({
      name: 'web-alerts',
      sign: true,
      secret: env.S,
      tags: sortedUnique([OWNER, 'prod', env.C]),
      statements: canonicalStatements([
        {
          effect: 'allow',
          resources: [resource, 'proj/web:env/test'],
          actions: [env.B, 'updateOn'],
        },
      ]),
      sensitive,
    }),
    desired({ name: 'fresh-hook', sensitive: [] }),
  ];
  const liveHooks = [
    live({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'web-alerts', secret: 'another-secret-xyz' }),
    live({ id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'gone-hook' }),
  ];
  const env2 = { A: env.A, B: env.B, C: env.C };
  const masked = computePlan({
    desired: hooks,
    live: liveHooks,
    ownerTags: [OWNER],
    sensitive: variableEntries(sensitive, env2),
  });
  const plain = computePlan({
    desired: hooks.map((d) => ({ ...d, sensitive: [] })),
    live: liveHooks,
    ownerTags: [OWNER],
  });
  return { masked: masked.plan, plain: plain.plan };
}

/**
 * The structure of a JSON document: its keys, the kinds of its values and the lengths of its
 * lists (items in any order: a masked list is ordered by what it shows). The masks are left out:
 * they say where the values are masked, and differ by design.
 */
function shape(v: unknown): unknown {
  if (Array.isArray(v))
    return v.map(shape).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !k.endsWith('sensitive'))
        .map(([k, x]) => [k, shape(x)]),
    );
  return typeof v;
}

/** ldhooks' own words in a JSON plan: what a change does, to which field, with which operation. */
const words = (json: { changes: Record<string, unknown>[]; summary: unknown }) => ({
  summary: json.summary,
  // In any order: changes are sorted by name as shown, and a name can be an environment value.
  changes: json.changes
    .map((c) => ({
      actions: c.actions as string[],
      reason: c.reason,
      id: c.id,
      fields: (c.fields as { field: string }[]).map((f) => f.field),
      patch: (c.patch as { op: string; path: string }[]).map((p) => [p.op, p.path]),
    }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
});

const json = (p: Plan) => JSON.parse(renderJson(p, '0.0.0'));

describe('masking keeps the structure of a plan, whatever the environment holds', () => {
  it('keys, actions, reasons, field names, and each patch operation and path, as ldhooks writes them', () => {
    check(
      fc.property(value, value, value, fc.string({ minLength: 1, maxLength: 24 }), (A, B, C, S) => {
        const { masked, plain } = plans({ A, B, C, S });
        const m = json(masked);
        const p = json(plain);
        expect(shape(m)).toEqual(shape(p));
        expect(words(m)).toEqual(words(p));
        // The operations of the plan are those apply sends, in the same order.
        for (const change of masked.changes) {
          const sent = change.operation?.action === 'update' ? change.operation.patch : [];
          expect(change.patch.map((op) => [op.op, op.path])).toEqual(
            sent.map((op) => [op.op, op.path]),
          );
        }
        expect(words(m).changes.find((c) => c.actions[0] === 'update')?.patch).toEqual([
          ['replace', '/url'],
          ['replace', '/on'],
          ['replace', '/secret'],
          ['replace', '/tags'],
          ['replace', '/statements'],
        ]);
      }),
      300,
    );
  });

  it('masks values, never keys, and a short value only where it is the whole value', () => {
    check(
      fc.property(value, (v) => {
        const masker = new Masker([{ value: v, shown: '${V}' }]);
        const input = { [v]: v, [`${v}${v}`]: [v, 'kept'] };
        const shown = masker.show(input).value as Record<string, unknown>;
        expect(Object.keys(shown)).toEqual(Object.keys(input));
        expect(shown[v]).toBe('${V}');
        expect(shown[`${v}${v}`]).toEqual(['${V}', v === 'kept' ? '${V}' : 'kept']);
      }),
    );
  });
});

// Letters and digits only: no run of them in a plan is ldhooks' own (its ids here are a's and
// b's), so any occurrence in the output is the value itself.
const token = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...'KQXZ0123456789'), { minLength: min, maxLength: max })
    .map((a) => a.join(''));

/** A webhook with V from the environment in one resource, and V written out in other values. */
function withValueInLiterals(V: string) {
  const templated = `proj/${V}:env/production`;
  const sensitive: MaskEntry[] = [{ value: templated, shown: 'proj/${V}:env/production' }];
  const hook = desired({
    name: `hooks-${V}-alerts`,
    url: `https://hooks.example.com/${V}/in`,
    tags: sortedUnique([OWNER, `team${V}`]),
    statements: canonicalStatements([
      { effect: 'allow', resources: [templated, `proj/${V}-copy:env/test`], actions: ['*'] },
    ]),
    sensitive,
  });
  const result = computePlan({
    desired: [hook],
    live: [
      live({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: `hooks-${V}-alerts`, tags: [OWNER, `${V}x`] }),
    ],
    ownerTags: [OWNER],
    sensitive: variableEntries(sensitive, { V }),
  });
  const p = result.plan;
  return [renderText(p), renderMarkdown(p), renderJson(p, '0.0.0')];
}

describe('a value from the environment inside a value written in the config', () => {
  it(`is masked when it has ${FRAGMENT} characters or more: a secret pasted in clear`, () => {
    check(
      fc.property(token(FRAGMENT, 16), (V) => {
        for (const out of withValueInLiterals(V)) {
          expect(out).not.toContain(V);
          expect(out).toContain('proj/${V}:env/production');
          expect(out).toContain('proj/${V}-copy:env/test');
          expect(out).toContain('hooks-${V}-alerts');
        }
      }),
      200,
    );
  });

  it(`is left as written when it has fewer than ${FRAGMENT} characters, and masked where it is the value`, () => {
    check(
      fc.property(token(1, FRAGMENT - 1), (V) => {
        for (const out of withValueInLiterals(V)) {
          expect(out).toContain('proj/${V}:env/production');
          expect(out).not.toContain(`proj/${V}:env/production`);
          expect(out).toContain(`proj/${V}-copy:env/test`);
          expect(out).toContain(`hooks-${V}-alerts`);
          expect(out).not.toContain('hooks-${V}');
          expect(out).not.toContain('team${V}');
        }
      }),
      200,
    );
  });
});
