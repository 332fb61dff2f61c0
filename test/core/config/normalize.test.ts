import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/adapters/fs/config-source.js';
import { parseYamlSource } from '../../../src/adapters/fs/yaml-source.js';
import { validateConfig } from '../../../src/core/config/validate.js';
import type { DesiredWebhook } from '../../../src/core/model.js';
import { ROOT } from '../../support/paths.js';

const byName = (hooks: DesiredWebhook[]) => new Map(hooks.map((h) => [h.name, h]));

describe('the examples', async () => {
  const result = await readConfig(['examples'], { env: {}, cwd: ROOT });
  const hooks = byName(result.webhooks);

  it('are valid, with no warnings', () => {
    expect(result.problems).toEqual([]);
    expect(result.files).toEqual([
      'examples/audit-sink.yaml',
      'examples/slack-prod-flag-changes.yaml',
      'examples/teams/growth/experiments.yaml',
      'examples/teams/payments/checkout.yaml',
      'examples/teams/payments/segments.yaml',
    ]);
    expect(result.ownerTags).toEqual([
      'managed-by-ldhooks',
      'managed-by-team-growth',
      'managed-by-team-payments',
    ]);
  });

  it('normalize the Slack notifier', () => {
    expect(hooks.get('slack-prod-flag-changes')).toEqual({
      name: 'slack-prod-flag-changes',
      url: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      on: true,
      sign: false,
      tags: ['managed-by-ldhooks', 'production', 'slack'],
      statements: [
        { effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['*'] },
        { effect: 'deny', resources: ['proj/*:env/production:flag/*;noisy'], actions: ['*'] },
      ],
      ownerTag: 'managed-by-ldhooks',
      adopt: false,
      sensitive: [],
      statementSources: [
        {
          statement: {
            effect: 'allow',
            resources: ['proj/*:env/production:flag/*'],
            actions: ['*'],
          },
          file: 'examples/slack-prod-flag-changes.yaml',
          line: 12,
          col: 9,
          path: 'webhooks[0].statements[0]',
        },
        {
          statement: {
            effect: 'deny',
            resources: ['proj/*:env/production:flag/*;noisy'],
            actions: ['*'],
          },
          file: 'examples/slack-prod-flag-changes.yaml',
          line: 16,
          col: 9,
          path: 'webhooks[0].statements[1]',
        },
      ],
      origin: {
        file: 'examples/slack-prod-flag-changes.yaml',
        line: 8,
        col: 5,
        pointer: '/webhooks/0',
        document: 0,
      },
    });
  });

  it('merge defaults under a webhook that declares its own statements', () => {
    const hook = hooks.get('payments-checkout-pager');
    expect(hook?.tags).toEqual(['managed-by-team-payments', 'pager', 'payments']);
    expect(hook?.ownerTag).toBe('managed-by-team-payments');
    expect(hook?.statements).toEqual([
      {
        effect: 'allow',
        resources: ['proj/payments:env/production:flag/checkout-*'],
        actions: ['updateFallthrough', 'updateOn'],
      },
    ]);
  });

  it('give the default statements to a webhook that declares none', () => {
    expect(hooks.get('payments-flag-audit')?.statements).toEqual([
      {
        effect: 'allow',
        resources: ['proj/payments:env/*:flag/*'],
        actions: ['updateFallthrough', 'updateOn', 'updateRules', 'updateTargets'],
      },
    ]);
  });

  it('keep on, sign and the owner tag of each webhook', () => {
    const summary = result.webhooks.map((h) => [
      h.name,
      h.on,
      h.sign,
      h.ownerTag,
      h.tags.length,
      h.statements.length,
    ]);
    expect(summary).toEqual([
      ['audit-sink', true, true, 'managed-by-ldhooks', 3, 1],
      ['audit-sink-staging', false, true, 'managed-by-ldhooks', 3, 2],
      ['slack-prod-flag-changes', true, false, 'managed-by-ldhooks', 3, 2],
      ['growth-experiment-flags', true, false, 'managed-by-team-growth', 2, 1],
      ['payments-checkout-pager', true, false, 'managed-by-team-payments', 3, 1],
      ['payments-flag-audit', true, false, 'managed-by-team-payments', 2, 1],
      ['payments-segment-changes', true, false, 'managed-by-team-payments', 2, 1],
    ]);
  });
});

describe('normalization', () => {
  const load = (text: string, env: Record<string, string> = {}) =>
    validateConfig(parseYamlSource('n.yaml', text, env).documents);

  it('sorts and de-duplicates tags, adds the owner tag, canonicalizes statements', () => {
    const result = load(`version: 1
defaults: { tags: [b, a] }
webhooks:
  - name: x
    url: https://x.example.com
    tags: [c, a, c]
    statements:
      - { effect: allow, actions: [updateOn, createFlag, updateOn], resources: ["proj/b", "proj/a"] }
      - { effect: allow, resources: ["proj/a", "proj/b"], actions: [createFlag, updateOn] }
      - { effect: deny, notActions: ["*"], notResources: ["member/*"] }
`);
    // Policy lint has its say on this contrived policy; normalization itself raises nothing.
    expect(result.problems.map((p) => p.code)).toEqual([
      'policy.action-kind',
      'policy.action-kind',
      'policy.action-kind',
      'policy.duplicate',
      'policy.action-kind',
      'policy.action-kind',
      'policy.never-matches',
    ]);
    const [hook] = result.webhooks;
    expect(hook?.tags).toEqual(['a', 'b', 'c', 'managed-by-ldhooks']);
    expect(hook?.statements).toEqual([
      { effect: 'allow', resources: ['proj/a', 'proj/b'], actions: ['createFlag', 'updateOn'] },
      { effect: 'deny', notResources: ['member/*'], notActions: ['*'] },
    ]);
    expect(JSON.stringify(hook?.statements[1])).toBe(
      '{"effect":"deny","notResources":["member/*"],"notActions":["*"]}',
    );
  });

  it('defaults on to true, sign to whether a secret is declared, statements to none', () => {
    const result = load(
      `version: 1
webhooks:
  - { name: plain, url: "https://a.example.com" }
  - { name: signed, url: "https://a.example.com", secret: "\${S}" }
  - { name: generated, url: "https://a.example.com", sign: true, on: false }
`,
      { S: 'shh' },
    );
    expect(result.webhooks.map((h) => [h.name, h.on, h.sign, h.secret, h.statements])).toEqual([
      ['plain', true, false, undefined, []],
      ['signed', true, true, 'shh', []],
      ['generated', false, true, undefined, []],
    ]);
  });

  it('marks fields from the environment sensitive, including merged defaults', () => {
    const result = load(
      'version: 1\ndefaults: { tags: ["${T}"] }\nwebhooks:\n  - { name: a, url: "${U}" }\n',
      {
        T: 'team',
        U: 'https://u.example.com',
      },
    );
    // Each value from the environment with its template: what the plan shows in its place.
    expect(result.webhooks[0]?.sensitive).toEqual([
      { value: 'https://u.example.com', shown: '${U}' },
      { value: 'team', shown: '${T}' },
    ]);
    expect(result.webhooks[0]?.secretTemplate).toBeUndefined();
  });

  it('masks a declared secret always, and keeps its template to resolve it again', () => {
    const result = load(
      'version: 1\nwebhooks:\n  - { name: a, url: "https://a.example.com", secret: "${S}" }\n',
      { S: 'shh-value' },
    );
    expect(result.webhooks[0]?.sensitive).toEqual([{ value: 'shh-value', shown: '(sensitive)' }]);
    expect(result.webhooks[0]?.secretTemplate).toBe('${S}');
  });

  it('uses a custom owner tag as the marker', () => {
    const result = load(
      'version: 1\nownerTag: managed-by-team-x\nwebhooks:\n  - { name: a, url: "https://a.example.com" }\n',
    );
    expect(result.webhooks[0]?.tags).toEqual(['managed-by-team-x']);
    expect(result.ownerTags).toEqual(['managed-by-team-x']);
  });

  it('warns about a secret written in clear', () => {
    const result = load(
      'version: 1\nwebhooks:\n  - { name: a, url: "https://a.example.com", secret: hunter2 }\n',
    );
    expect(result.problems.map((p) => [p.severity, p.code, p.line, p.col, p.path])).toEqual([
      ['warning', 'config.literal-secret', 3, 54, 'webhooks[0].secret'],
    ]);
    expect(JSON.stringify(result.problems)).not.toContain('hunter2');
  });
});
