import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../src/adapters/fs/yaml-source.js';
import { planFileSchema } from '../../src/cli/plan-file-schema.js';
import { validateConfig } from '../../src/core/config/validate.js';
import type { LiveWebhook } from '../../src/core/model.js';
import { computePlan } from '../../src/core/plan/plan.js';
import { renderJson } from '../../src/render/json.js';
import { MARKDOWN_MARKER, renderMarkdown } from '../../src/render/markdown.js';
import { colorStyle, wantsColor } from '../../src/render/style.js';
import { renderText } from '../../src/render/text.js';
import { golden } from '../support/golden.js';

const ENV = {
  ALERT_URL: 'https://hooks.example.com/services/T0K3N-ab12',
  ALERT_SECRET: 'alert-secret-value-91',
  AUDIT_SECRET: 'audit-secret-value-37',
};
const LIVE_SECRETS = [
  'live-secret-old-55',
  'generated-by-ld-77',
  'https://hooks.example.com/services/OLD-T0K3N',
];
const SECRETS = [...Object.values(ENV), ...LIVE_SECRETS, 'T0K3N'];

// One plan with every kind of change.
const CONFIG = `version: 1
webhooks:
  - name: alerts            # update: url and secret from the environment, both changed
    url: \${ALERT_URL}
    secret: \${ALERT_SECRET}
    tags: [alerts]
  - name: audit             # update: on, tags and statements; its secret unchanged
    url: https://audit.example.com/in
    secret: \${AUDIT_SECRET}
    on: false
    tags: [audit, security]
    statements:
      - { effect: allow, notResources: ["member/*"], actions: ["*"] }
  - name: unsigned-now      # update: sign true -> false removes the secret
    url: https://plain.example.com/in
    sign: false
  - name: signed-now        # update: sign false -> true, LaunchDarkly-style generated secret
    url: https://signed.example.com/in
    sign: true
  - name: taken-over        # adoption of an unmanaged webhook
    url: https://manual.example.com/in
    adopt: true
  - name: brand-new         # create
    url: https://new.example.com/in
    tags: [new]
    statements:
      - { effect: allow, resources: ["proj/*:env/production:flag/*"], actions: [updateOn] }
  - name: steady            # no-op
    url: https://steady.example.com/in
`;

const live: LiveWebhook[] = [
  {
    id: '000000000000000000000001',
    name: 'alerts',
    url: LIVE_SECRETS[2] as string,
    secret: LIVE_SECRETS[0],
    on: true,
    tags: ['alerts', 'managed-by-ldhooks'],
    statements: [],
  },
  {
    id: '000000000000000000000002',
    name: 'audit',
    url: 'https://audit.example.com/in',
    secret: ENV.AUDIT_SECRET,
    on: true,
    tags: ['audit', 'managed-by-ldhooks'],
    statements: [{ effect: 'allow', resources: ['*'], actions: ['*'] }],
  },
  {
    id: '000000000000000000000003',
    name: 'unsigned-now',
    url: 'https://plain.example.com/in',
    secret: LIVE_SECRETS[1],
    on: true,
    tags: ['managed-by-ldhooks'],
    statements: [],
  },
  {
    id: '000000000000000000000004',
    name: 'signed-now',
    url: 'https://signed.example.com/in',
    on: true,
    tags: ['managed-by-ldhooks'],
    statements: [],
  },
  {
    id: '000000000000000000000005',
    name: 'taken-over',
    url: 'https://manual.example.com/in',
    on: true,
    tags: [],
    statements: [],
  },
  {
    id: '000000000000000000000006',
    name: 'steady',
    url: 'https://steady.example.com/in',
    on: true,
    tags: ['managed-by-ldhooks'],
    statements: [],
  },
  {
    id: '000000000000000000000007',
    name: 'retired',
    url: 'https://old.example.com/hook?token=abc',
    on: true,
    tags: ['managed-by-ldhooks'],
    statements: [],
  },
  {
    id: '000000000000000000000008',
    name: 'someone-elses',
    url: 'https://other.example.com',
    on: true,
    tags: ['theirs'],
    statements: [],
  },
];

/** The same plan inputs with every list in another order: `order` permutes a list. */
function everyKindOfChange(order: <T>(list: readonly T[]) => T[] = (list) => [...list]) {
  const config = validateConfig(parseYamlSource('hooks.yaml', CONFIG, ENV).documents);
  expect(config.problems).toEqual([]);
  const result = computePlan({
    desired: order(config.webhooks),
    live: order(live).map((h) => ({
      ...h,
      tags: order(h.tags),
      statements: order(h.statements).map((s) => ({
        ...s,
        ...(s.resources ? { resources: order(s.resources) } : {}),
        ...(s.actions ? { actions: order(s.actions) } : {}),
      })),
    })),
    ownerTags: order(config.ownerTags),
  });
  expect(result.problems).toEqual([]);
  return result.plan;
}

/** A small seeded generator (mulberry32): shuffles that differ from each other but never from run to run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffler(seed: number) {
  const random = seeded(seed);
  return <T>(list: readonly T[]): T[] => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
}

describe('renderers over a plan with every kind of change', () => {
  const plan = everyKindOfChange();

  it('covers create, update, delete, no-op, adoption and unmanaged', () => {
    expect(plan.changes.map((c) => [c.name, c.action, c.reason])).toEqual([
      ['alerts', 'update', 'differs from config'],
      ['audit', 'update', 'differs from config'],
      ['brand-new', 'create', 'not in LaunchDarkly'],
      ['retired', 'delete', 'not in config'],
      ['signed-now', 'update', 'differs from config'],
      ['steady', 'no-op', 'matches config'],
      ['taken-over', 'update', 'adopt'],
      ['unsigned-now', 'update', 'differs from config'],
    ]);
    expect(plan.summary).toEqual({ create: 1, update: 5, delete: 1, noop: 1, unmanaged: 1 });
  });

  it('renders text', () => golden('plan.txt', renderText(plan)));
  it('renders Markdown', () => golden('plan.md', renderMarkdown(plan)));
  it('renders JSON', () => golden('plan.json', renderJson(plan, '0.0.0-test')));

  it('gives JSON that validates against schemas/plan.schema.json', () => {
    const validate = new Ajv2020({ strict: false }).compile(planFileSchema);
    const ok = validate(JSON.parse(renderJson(plan, '0.0.0-test')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(validate({ format: 'ldhooks-plan' })).toBe(false);
  });

  it('marks sensitive values with a parallel mask and Terraform-like actions', () => {
    const json = JSON.parse(renderJson(plan, '0.0.0-test'));
    const alerts = json.changes.find((c: { name: string }) => c.name === 'alerts');
    expect(alerts.actions).toEqual(['update']);
    expect(alerts.after_sensitive).toEqual({ url: true, secret: true });
    expect(alerts.after.url).toBe('${ALERT_URL}');
    expect(alerts.after.secret).toBe('(sensitive)');
    expect(alerts.fields.map((f: { field: string }) => f.field)).toEqual(['url', 'secret']);
    expect(alerts.patch_sensitive).toEqual([{ value: true }, { value: true }]);
    expect(json.changes.map((c: { actions: string[] }) => c.actions[0])).toContain('no-op');
  });

  it('is byte-identical whatever the order of its inputs', () => {
    const reversed = <T>(list: readonly T[]) => [...list].reverse();
    const orders = [() => reversed, ...[1, 2, 3, 4, 5, 6].map((seed) => () => shuffler(seed))];
    const declared = plan.changes.filter((c) => c.action !== 'delete').map((c) => c.name);
    expect(declared).toHaveLength(7);
    const desiredOrders = new Set([declared.join()]);
    for (const order of orders) {
      const other = everyKindOfChange(order());
      expect(renderJson(other, 'v')).toBe(renderJson(plan, 'v'));
      expect(renderMarkdown(other)).toBe(renderMarkdown(plan));
      expect(renderText(other)).toBe(renderText(plan));
      // A fresh ordering permutes its first list, the 7 declared webhooks, as it did above.
      desiredOrders.add(order()(declared).join());
    }
    // The permutations differ from each other and from the sorted order.
    expect(desiredOrders.size).toBe(orders.length + 1);
  });

  it('never shows a secret, a value from the environment or a live URL token, in any format', () => {
    for (const out of [
      renderText(plan),
      renderText(plan, colorStyle),
      renderMarkdown(plan),
      renderJson(plan, 'v'),
    ]) {
      for (const secret of [...SECRETS, 'token=abc']) expect(out).not.toContain(secret);
    }
  });

  it('says which sensitive values changed and which did not', () => {
    const text = renderText(plan);
    expect(text).toContain('~ url: "https://hooks.example.com/…" -> "${ALERT_URL}" (sensitive)');
    expect(text).toContain('~ secret: (sensitive, changed)');
    expect(text).toContain('  secret: (sensitive, unchanged)');
  });
});

describe('Markdown size limit', () => {
  const many = () => {
    const hooks = Array.from(
      { length: 400 },
      (_, i) =>
        `  - { name: hook-${String(i).padStart(4, '0')}, url: "https://h.example.com/${i}", tags: [t${i}] }`,
    );
    const config = validateConfig(
      parseYamlSource('big.yaml', `version: 1\nwebhooks:\n${hooks.join('\n')}\n`, {}).documents,
    );
    return computePlan({ desired: config.webhooks, live: [], ownerTags: config.ownerTags }).plan;
  };

  it('stays under 65,000 characters, keeps summary and table, and stays valid Markdown', () => {
    const md = renderMarkdown(many());
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md.split('\n')[0]).toBe(MARKDOWN_MARKER);
    expect(md).toContain(
      '**Plan: 400 to create, 0 to update, 0 to delete, 0 unchanged, 0 unmanaged ignored.**',
    );
    expect(md).toContain('| Action | Webhook | Changes |');
    expect(md).toMatch(
      /_\d+ more change details not shown: the comment is limited to 65,000 characters\. Run `ldhooks plan` to see the full plan\._/,
    );
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    expect(md.match(/<details>/g)?.length).toBeGreaterThan(0);
  });

  it('cuts table rows too when even the table would not fit', () => {
    const md = renderMarkdown(many(), 20_000);
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/_\d+ more changes \(rows and details\) not shown/);
    expect(md).not.toContain('<details>');
  });

  it('needs no truncation for a small plan', () => {
    expect(renderMarkdown(everyKindOfChange())).not.toContain('not shown');
  });
});

describe('colour', () => {
  it.each([
    [{ flag: undefined, env: {}, isTTY: true }, true],
    [{ flag: undefined, env: {}, isTTY: false }, false],
    [{ flag: false, env: {}, isTTY: true }, false],
    [{ flag: undefined, env: { NO_COLOR: '1' }, isTTY: true }, false],
    [{ flag: undefined, env: { FORCE_COLOR: '1' }, isTTY: false }, true],
    [{ flag: undefined, env: { FORCE_COLOR: '0' }, isTTY: true }, false],
    [{ flag: undefined, env: { FORCE_COLOR: 'false' }, isTTY: true }, false],
    [{ flag: undefined, env: { FORCE_COLOR: '0' }, isTTY: false }, false],
    [{ flag: undefined, env: { FORCE_COLOR: '' }, isTTY: false }, true],
    [{ flag: false, env: { FORCE_COLOR: '1' }, isTTY: true }, false],
  ])('%j -> %s', (options, expected) => {
    expect(wantsColor(options)).toBe(expected);
  });

  it('colours text only with the colour style', () => {
    const plan = everyKindOfChange();
    expect(renderText(plan)).not.toContain('\u001b[');
    expect(renderText(plan, colorStyle)).toContain('\u001b[32m+ ');
  });
});

describe('names and values from LaunchDarkly with control characters', () => {
  const hostile =
    'evil\n+ forged will be created\u001b[2J\u009b31m\r| x | [click](https://x.example) `y` *z*\u202e';
  const result = computePlan({
    desired: validateConfig(
      parseYamlSource(
        'hooks.yaml',
        'version: 1\nwebhooks:\n  - { name: "new\\u0007one", url: "https://n.example", tags: ["t"] }\n',
        {},
      ).documents,
    ).webhooks,
    live: [
      {
        id: 'c'.repeat(24),
        name: hostile,
        url: 'https://evil.example/\u001b]8;;x\u0007',
        on: true,
        tags: ['managed-by-ldhooks'],
        statements: [{ effect: 'allow', resources: ['proj/\u009bx'], actions: ['*'] }],
      },
    ],
    ownerTags: ['managed-by-ldhooks'],
  });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what must never be printed raw
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

  it('reach text output escaped, one line each, before any colour', () => {
    for (const style of [undefined, colorStyle]) {
      // The colour style's own sequences are the only escapes that may remain.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      const out = renderText(result.plan, style).replace(/\u001b\[\d+m/g, '');
      expect(out).not.toMatch(RAW);
      expect(out.split('\n').filter((l) => /^[+~-] /.test(l))).toEqual([
        `- evil\\n+ forged will be created\\u001b[2J\\u009b31m\\r| x | [click](https://x.example) \`y\` *z*\\u202e (${'c'.repeat(24)}) will be deleted: not in config`,
        '+ new\\u0007one will be created',
      ]);
    }
  });

  it('reach Markdown inert: one table row and one summary each, no link, no emphasis', () => {
    const md = renderMarkdown(result.plan);
    expect(md).not.toMatch(RAW);
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(3);
    expect(rows[1]).toBe(
      '| ➖ delete | <code>evil&#92;n+ forged will be created&#92;u001b&#91;2J&#92;u009b31m&#92;r&#124; x &#124; &#91;click&#93;(https&#58;//x&#46;example) &#96;y&#96; &#42;z&#42;&#92;u202e</code> | whole webhook (not in config) |',
    );
    expect(md.match(/<summary>/g)).toHaveLength(2);
    expect(md).not.toContain('[click]');
    // GitHub would link a bare URL: its : and . are references too.
    expect(md).not.toContain('https://x.example');
    // A C1 control inside a value, which JSON leaves raw, shows escaped too.
    expect(md).toContain('"resources":["proj/\\u009bx"]');
  });
});
