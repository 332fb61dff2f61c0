import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('ldhooks validate and policies', () => {
  it('warns about a misspelled kind and action with their locations and suggestions', async () => {
    const r = await runCli(['validate', 'test/fixtures/policy/typos.yaml'], { offline: true });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'test/fixtures/policy/typos.yaml:7:44  webhooks[0].statements[0].resources[0]  warning: unknown resource kind "flg" at column 23, did you mean "flag"?  (write flag/...)',
      'test/fixtures/policy/typos.yaml:8:19  webhooks[0].statements[0].actions[0]  warning: unknown action "updateOnn", did you mean "updateOn"?  (write updateOn)',
    ]);
    expect(r.stdout).toBe('1 file, 1 webhook, valid (2 warnings)\n');
  });

  it('makes warnings errors with --strict', async () => {
    const r = await runCli(['validate', '--strict', 'test/fixtures/policy/typos.yaml'], {
      offline: true,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 file: 2 errors; the configuration is not valid');
  });
});

describe('ldhooks explain', () => {
  it('answers which webhooks fire when someone turns on a flag in production, offline', async () => {
    const r = await runCli(
      [
        'explain',
        '--resource',
        'proj/payments:env/production:flag/checkout-v2',
        '--action',
        'updateOn',
        '--tag',
        'flag=noisy',
        'examples/',
      ],
      { offline: true },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'Event: updateOn on proj/payments:env/production:flag/checkout-v2 (tags: flag=noisy)',
      '',
      '+ audit-sink receives it: allowed (webhooks[0].statements[0] at examples/audit-sink.yaml:14:9)',
      '- audit-sink-staging does not receive it: the webhook is off (on: false), though its statements allow it (webhooks[1].statements[0] at examples/audit-sink.yaml:25:9)',
      '- slack-prod-flag-changes does not receive it: denied (a deny beats any allow) (webhooks[0].statements[1] at examples/slack-prod-flag-changes.yaml:16:9)',
      '- growth-experiment-flags does not receive it: no statement allows it',
      '+ payments-checkout-pager receives it: allowed (webhooks[0].statements[0] at examples/teams/payments/checkout.yaml:18:9)',
      '+ payments-flag-audit receives it: allowed (defaults.statements[0] at examples/teams/payments/checkout.yaml:10:7)',
      '- payments-segment-changes does not receive it: no statement allows it',
      '',
      '3 of 7 webhooks receive this event.',
      '',
    ]);
  });

  it('answers in JSON', async () => {
    const r = await runCli(
      [
        'explain',
        '--format',
        'json',
        '--resource',
        'member/alice',
        '--action',
        'updateRole',
        'examples/',
      ],
      { offline: true },
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      format_version: 1,
      resource: 'member/alice',
      action: 'updateRole',
    });
    expect(
      doc.webhooks
        .filter((w: { received: boolean }) => w.received)
        .map((w: { name: string }) => w.name),
    ).toEqual([]);
    expect(doc.webhooks.find((w: { name: string }) => w.name === 'audit-sink-staging')).toEqual({
      name: 'audit-sink-staging',
      received: false,
      mayReceive: false,
      dependsOn: [],
      reason: 'denied (a deny beats any allow)',
      statement: {
        path: 'webhooks[1].statements[1]',
        file: 'examples/audit-sink.yaml',
        line: 28,
        column: 9,
        effect: 'deny',
      },
      byDefault: false,
    });
  });

  it.each([
    [
      ['--resource', 'proj/*:env/x:flag/y', '--action', 'updateOn'],
      'the resource must be concrete',
    ],
    [
      ['--resource', 'proj/x:env/y:flag/z', '--action', 'updateOn', '--tag', 'segment=a'],
      '--tag segment=a: write KIND=TAG with a kind of the resource (proj, env, flag)',
    ],
    [['--action', 'updateOn'], "required option '--resource <spec>' not specified"],
  ])('refuses %j', async (args, message) => {
    const r = await runCli(['explain', ...args, 'examples/'], { offline: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
  });
});

describe("ldhooks explain --action '*'", () => {
  it('expands * to every action of the kind, per webhook', async () => {
    const r = await runCli(
      [
        'explain',
        '--resource',
        'proj/payments:env/production:flag/checkout-v2',
        '--action',
        '*',
        'examples/',
      ],
      { offline: true },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'Every flag action (24 known to ldhooks) on proj/payments:env/production:flag/checkout-v2:',
      '',
      '+ audit-sink receives 24 of 24: all',
      '- audit-sink-staging receives 0 of 24: none, the webhook is off (on: false)',
      '+ slack-prod-flag-changes receives 24 of 24: all',
      '- growth-experiment-flags receives 0 of 24: none',
      '+ payments-checkout-pager receives 2 of 24: updateFallthrough, updateOn',
      '+ payments-flag-audit receives 4 of 24: updateFallthrough, updateOn, updateRules, updateTargets',
      '- payments-segment-changes receives 0 of 24: none',
      '',
    ]);
  });

  it('refuses to expand * for a kind it does not know', async () => {
    const r = await runCli(['explain', '--resource', 'widget/x', '--action', '*', 'examples/'], {
      offline: true,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'ldhooks does not know the actions of "widget" resources, so it cannot expand *',
    );
  });
});
