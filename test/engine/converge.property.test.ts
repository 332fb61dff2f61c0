import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { parseYamlSource } from '../../src/adapters/fs/yaml-source.js';
import { LaunchDarklyClient } from '../../src/adapters/launchdarkly/client.js';
import { validateConfig } from '../../src/core/config/validate.js';
import { hasChanges } from '../../src/core/plan/plan.js';
import type { ConfigSource } from '../../src/core/port.js';
import { apply } from '../../src/engine/apply.js';
import { plan } from '../../src/engine/plan.js';

// Plan -> apply -> plan is a no-op, for random valid configs against random live accounts,
// through the real client and the emulator over loopback HTTP.

const ENV = { HOOK_SECRET: 'prop-secret-1f2e', PROJ: 'prop-proj' };

const RESOURCES = [
  'proj/*:env/production:flag/*',
  'proj/${PROJ}:env/*:flag/*',
  'proj/*:env/test',
  'member/*',
];
const ACTIONS = ['*', 'updateOn', 'createFlag', 'deleteFlag'];
const TAGS = ['a', 'b', 'team.x', 'prod_1'];

const subset = <T>(items: readonly T[]) =>
  fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength: items.length });

const statement = fc.record({
  effect: fc.constantFrom('allow', 'deny'),
  resourcesKey: fc.constantFrom('resources', 'notResources'),
  resources: subset(RESOURCES),
  actionsKey: fc.constantFrom('actions', 'notActions'),
  actions: subset(ACTIONS),
});

const webhook = fc.record(
  {
    url: fc.constantFrom('https://a.example.com/in', 'https://b.example.com/x?y=1'),
    on: fc.boolean(),
    signing: fc.constantFrom('none', 'secret', 'generated', 'off'),
    tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }),
    statements: fc.array(statement, { maxLength: 3 }),
  },
  { requiredKeys: ['url', 'signing'] },
);

type Hook = typeof webhook extends fc.Arbitrary<infer T> ? T : never;

function configYaml(hooks: Hook[]): string {
  return stringify({
    version: 1,
    webhooks: hooks.map((h, i) => ({
      name: `hook-${i}`,
      url: h.url,
      ...(h.on !== undefined ? { on: h.on } : {}),
      ...(h.signing === 'secret' ? { secret: '${HOOK_SECRET}' } : {}),
      ...(h.signing === 'generated' ? { sign: true } : {}),
      ...(h.signing === 'off' ? { sign: false } : {}),
      ...(h.tags ? { tags: h.tags } : {}),
      ...(h.statements
        ? {
            statements: h.statements.map((s) => ({
              effect: s.effect,
              [s.resourcesKey]: s.resources,
              [s.actionsKey]: s.actions,
            })),
          }
        : {}),
    })),
  });
}

/** A live account: managed webhooks that differ from the config in random ways, and others. */
const liveState = fc.record({
  managed: fc.array(
    fc.record({
      index: fc.nat({ max: 6 }),
      url: fc.constantFrom('https://a.example.com/in', 'https://old.example.com'),
      on: fc.boolean(),
      secret: fc.option(fc.constantFrom('old-secret', ENV.HOOK_SECRET), { nil: undefined }),
      tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 2 }),
      statements: fc.array(statement, { maxLength: 2 }),
    }),
    { maxLength: 5 },
  ),
  unmanaged: fc.nat({ max: 2 }),
});

let emulator: Emulator;
let client: LaunchDarklyClient;
beforeAll(async () => {
  emulator = await startEmulator();
  client = new LaunchDarklyClient({ baseUri: emulator.url, token: emulator.token });
});
afterAll(() => emulator.close());

describe('plan, apply, plan', () => {
  it('converges: the second plan has only no-ops, and applying it sends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(webhook, { maxLength: 5 }), liveState, async (hooks, state) => {
        emulator.store.clear();
        let id = 0;
        const put = (over: Record<string, unknown>) =>
          emulator.store.put({
            _id: (++id).toString(16).padStart(24, '0'),
            url: 'https://z.example.com',
            on: true,
            tags: [],
            ...over,
          });
        const seen = new Set<number>();
        for (const m of state.managed) {
          if (seen.has(m.index)) continue; // one managed webhook per name
          seen.add(m.index);
          put({
            name: `hook-${m.index}`,
            url: m.url,
            on: m.on,
            ...(m.secret ? { secret: m.secret } : {}),
            tags: ['managed-by-ldhooks', ...m.tags],
            statements: m.statements.map((s) => ({
              effect: s.effect,
              [s.resourcesKey]: s.resources.map((r) => r.replace('${PROJ}', ENV.PROJ)),
              [s.actionsKey]: s.actions,
            })),
          });
        }
        for (let u = 0; u < state.unmanaged; u++) put({ name: `manual-${u}` });

        const yaml = configYaml(hooks);
        const source: ConfigSource = {
          read: async () => ({
            files: ['c.yaml'],
            ...validateConfig(parseYamlSource('c.yaml', yaml, ENV).documents),
          }),
        };
        const options = { maxDeletePercent: 100, allowDeleteAll: true, env: ENV };
        const first = await plan(source, client, options);
        const report = await apply(client, first.plan, { parallelism: 2, masker: first.masker });
        expect(report.failed).toEqual([]);

        emulator.resetLog();
        const second = await plan(source, client, options);
        expect(second.plan.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
        expect(hasChanges(second.plan)).toBe(false);
        expect(second.plan.summary.unmanaged).toBe(state.unmanaged);
        expect(emulator.counts()).toEqual({ GET: 1 });
        // Unmanaged webhooks are never touched.
        expect(emulator.store.all().filter((h) => h.name?.startsWith('manual-'))).toHaveLength(
          state.unmanaged,
        );
      }),
      { numRuns: 40 },
    );
  });
});
