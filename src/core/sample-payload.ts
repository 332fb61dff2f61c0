/**
 * A realistic change-history entry, the body LaunchDarkly POSTs to a webhook: a flag turned on
 * in production. `ldhooks ping` sends it; receivers can use it in their tests.
 */
export const SAMPLE_CHANGE = {
  _links: {
    canonical: {
      href: '/api/v2/flags/mobile/checkout-redesign',
      type: 'application/json',
    },
    parent: { href: '/api/v2/auditlog', type: 'application/json' },
    self: {
      href: '/api/v2/auditlog/5f2d4c0e8c3a1b0009a1b2c3',
      type: 'application/json',
    },
    site: { href: '/mobile/production/features/checkout-redesign', type: 'text/html' },
  },
  _id: '5f2d4c0e8c3a1b0009a1b2c3',
  _accountId: '5b3f1a2c9d8e7f0012345678',
  date: 1_700_000_000_000,
  accesses: [
    {
      action: 'updateOn',
      resource: 'proj/mobile:env/production:flag/checkout-redesign',
    },
  ],
  kind: 'flag',
  name: 'Checkout redesign',
  description: '- Turned on the flag',
  shortDescription: '',
  comment: 'Sent by ldhooks ping: a sample delivery, not a real change',
  member: {
    _links: {
      parent: { href: '/api/v2/members', type: 'application/json' },
      self: { href: '/api/v2/members/5b3f1a2c9d8e7f0087654321', type: 'application/json' },
    },
    _id: '5b3f1a2c9d8e7f0087654321',
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
  },
  titleVerb: 'turned on the flag',
  title:
    'Ada Lovelace turned on the flag [Checkout redesign](https://app.launchdarkly.com/mobile/production/features/checkout-redesign) in `Production`',
  target: {
    _links: {
      canonical: {
        href: '/api/v2/flags/mobile/checkout-redesign',
        type: 'application/json',
      },
      site: { href: '/mobile/production/features/checkout-redesign', type: 'text/html' },
    },
    name: 'Checkout redesign',
    resources: ['proj/mobile:env/production:flag/checkout-redesign'],
  },
  parent: {
    _links: {
      canonical: { href: '/api/v2/projects/mobile', type: 'application/json' },
      site: { href: '/mobile', type: 'text/html' },
    },
    name: 'Mobile',
    resource: 'proj/mobile',
  },
} as const;

/** The sample as a body to send, stamped with a date (milliseconds since the epoch). */
export function samplePayload(date: number = SAMPLE_CHANGE.date): string {
  return JSON.stringify({ ...SAMPLE_CHANGE, date });
}

/**
 * One line about a delivery body: its kind, name and title when it is a change-history entry
 * (`flag "Checkout redesign": Ada Lovelace turned on the flag ...`), else what it is. At most
 * `max` characters; control characters removed, so a body cannot forge output lines.
 */
export function summarizeDelivery(body: string, max = 160): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.length === 0 ? '(empty body)' : `(not JSON, ${body.length} bytes)`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return '(JSON, not a change-history entry)';
  const entry = parsed as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const kind = text(entry.kind);
  const name = text(entry.name);
  const title = text(entry.title);
  if (!kind && !name && !title) return '(JSON, not a change-history entry)';
  const head = [kind, name ? JSON.stringify(name) : undefined].filter(Boolean).join(' ');
  const line = title ? (head ? `${head}: ${title}` : title) : head;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
