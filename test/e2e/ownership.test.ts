import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-owners-'));
  await mkdir(path.join(dir, 'growth'));
  await mkdir(path.join(dir, 'payments'));
});
afterEach(async () => {
  await emulator.close();
});

const cli = (args: string[]) =>
  runCli(args, {
    cwd: dir,
    env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token },
  });

const GROWTH = `version: 1
ownerTag: managed-by-team-growth
webhooks:
  - { name: experiments, url: "https://growth.example.com/in", tags: [growth] }
  - { name: shared-alerts, url: "https://alerts.example.com/growth" }
`;
const PAYMENTS = `version: 1
ownerTag: managed-by-team-payments
webhooks:
  - { name: checkout, url: "https://payments.example.com/in" }
`;
/** Payments declares the webhook growth owns, and would adopt it. */
const PAYMENTS_TAKING = `${PAYMENTS}  - { name: shared-alerts, url: "https://alerts.example.com/payments", adopt: true }
`;
const GROWTH_WITHOUT_SHARED = `version: 1
ownerTag: managed-by-team-growth
webhooks:
  - { name: experiments, url: "https://growth.example.com/in", tags: [growth] }
`;

async function write(team: 'growth' | 'payments', yaml: string) {
  await writeFile(path.join(dir, team, 'hooks.yaml'), yaml);
}

const tagsOf = (name: string) =>
  emulator.store
    .all()
    .find((h) => h.name === name)
    ?.tags.slice()
    .sort();

describe('several configs sharing one account', () => {
  it('two configs with their own owner tags each plan no changes after both applied', async () => {
    await write('growth', GROWTH);
    await write('payments', PAYMENTS);
    expect((await cli(['apply', 'growth', '--auto-approve'])).code).toBe(0);
    expect((await cli(['apply', 'payments', '--auto-approve'])).code).toBe(0);
    for (const team of ['growth', 'payments']) {
      const again = await cli(['plan', team, '--detailed-exitcode']);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('No changes. LaunchDarkly matches the configuration.');
    }
    // Each leaves the other's webhooks alone, and knows whose they are.
    const json = JSON.parse((await cli(['plan', 'payments', '--format', 'json'])).stdout);
    expect(json.unmanaged).toEqual([
      { id: expect.any(String), name: 'experiments', owner: 'managed-by-team-growth' },
      { id: expect.any(String), name: 'shared-alerts', owner: 'managed-by-team-growth' },
    ]);
    expect(emulator.store.all()).toHaveLength(3);
  });

  it("refuses to adopt another config's webhook, naming its owner, then takes it over when named", async () => {
    await write('growth', GROWTH);
    expect((await cli(['apply', 'growth', '--auto-approve'])).code).toBe(0);
    await write('payments', PAYMENTS_TAKING);
    const before = JSON.stringify(emulator.store.all());

    for (const args of [
      ['plan', 'payments'],
      ['plan', 'payments', '--adopt'],
      ['apply', 'payments', '--auto-approve', '--adopt'],
      ['plan', 'payments', '--takeover-from', 'managed-by-team-other'],
    ]) {
      const refused = await cli(args);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.stderr).toContain('"managed-by-team-growth"');
      expect(refused.stderr).toContain('--takeover-from managed-by-team-growth');
    }
    expect(JSON.stringify(emulator.store.all())).toBe(before);

    const planned = await cli(['plan', 'payments', '--takeover-from', 'managed-by-team-growth']);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(
      /~ shared-alerts \([0-9a-f]{24}\) will be taken over from managed-by-team-growth and updated/,
    );
    const json = JSON.parse(
      (
        await cli([
          'plan',
          'payments',
          '--takeover-from',
          'managed-by-team-growth',
          '--format',
          'json',
        ])
      ).stdout,
    );
    const change = json.changes.find((c: { name: string }) => c.name === 'shared-alerts');
    expect([change.reason, change.taken_over_from]).toEqual(['adopt', 'managed-by-team-growth']);

    const applied = await cli([
      'apply',
      'payments',
      '--auto-approve',
      '--takeover-from',
      'managed-by-team-growth',
    ]);
    expect(applied.code).toBe(0);
    expect(tagsOf('shared-alerts')).toEqual(['managed-by-team-payments']);
    expect(tagsOf('experiments')).toEqual(['growth', 'managed-by-team-growth']);
    expect((await cli(['plan', 'payments', '--detailed-exitcode'])).code).toBe(0);
    // Growth, once it no longer declares it, sees it as payments' and leaves it alone.
    await write('growth', GROWTH_WITHOUT_SHARED);
    const growth = await cli(['plan', 'growth', '--detailed-exitcode', '--show-unmanaged']);
    expect(growth.code).toBe(0);
    expect(growth.stdout).toMatch(
      /shared-alerts \([0-9a-f]{24}\): owned by managed-by-team-payments/,
    );
  });

  it('a saved plan keeps --takeover-from, and apply --plan refuses it', async () => {
    await write('growth', GROWTH);
    expect((await cli(['apply', 'growth', '--auto-approve'])).code).toBe(0);
    await write('payments', PAYMENTS_TAKING);
    const saved = await cli([
      'plan',
      'payments',
      '--takeover-from',
      'managed-by-team-growth',
      '--out',
      'plan.json',
    ]);
    expect(saved.code).toBe(0);
    const file = JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8'));
    expect(file.saved.options.takeover_from).toEqual(['managed-by-team-growth']);
    const refused = await cli([
      'apply',
      '--plan',
      'plan.json',
      '--takeover-from',
      'managed-by-team-growth',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('apply --plan refuses --takeover-from');
    const applied = await cli(['apply', '--plan', 'plan.json']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(tagsOf('shared-alerts')).toEqual(['managed-by-team-payments']);
  });

  it('refuses a --takeover-from that is not an owner tag', async () => {
    await write('payments', PAYMENTS);
    const r = await cli(['plan', 'payments', '--takeover-from', 'team-growth']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"team-growth" is not an owner tag');
    expect(emulator.counts()).toEqual({});
  });
});

describe('plan --show-unmanaged', () => {
  it('lists unmanaged and others’ webhooks by name and id, escaped; JSON always carries them', async () => {
    await write('growth', GROWTH_WITHOUT_SHARED);
    expect((await cli(['apply', 'growth', '--auto-approve'])).code).toBe(0);
    emulator.store.put({
      ...(emulator.store.all()[0] as ReturnType<typeof emulator.store.all>[number]),
      _id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
      name: 'hand\nmade\u001b[31m',
      tags: [],
    });
    await write('payments', PAYMENTS);
    const plain = await cli(['plan', 'payments']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('Not managed by this config');
    expect(plain.stdout).toContain('2 unmanaged ignored');

    const shown = await cli(['plan', 'payments', '--show-unmanaged']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /Not managed by this config \(2\):\n {2}experiments \([0-9a-f]{24}\): owned by managed-by-team-growth\n {2}hand\\nmade\\u001b\[31m \(a{24}\): unmanaged\n/,
    );
    expect(shown.stdout).not.toContain('\u001b');

    const json = JSON.parse((await cli(['plan', 'payments', '--format', 'json'])).stdout);
    expect(json.unmanaged).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        name: 'experiments',
        owner: 'managed-by-team-growth',
      },
      { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'hand\nmade\u001b[31m', owner: null },
    ]);
  });
});
