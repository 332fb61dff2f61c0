import { describe, expect, it } from 'vitest';
import { Redactor, TOKEN_SHOWN } from '../../../src/adapters/launchdarkly/redact.js';
import { Masker, SENSITIVE } from '../../../src/core/mask.js';

const SECRET = 'S3CR3T-VALUE-9q';

/** No run of `n` or more characters of `value` appears in `text`: not even a piece of it shows. */
function noPiece(text: string, value: string, n = 4) {
  for (let i = 0; i + n <= value.length; i++) expect(text).not.toContain(value.slice(i, i + n));
}

describe('Redactor', () => {
  it.each(['a', 'Zq', 'k9Z', 'api-0123'])('replaces a token of any length (%j)', (token) => {
    const r = new Redactor(token);
    expect(r.text(`[${token}] {${token}}`)).toBe(`[${TOKEN_SHOWN}] {${TOKEN_SHOWN}}`);
  });

  it('replaces the forms a server repeats a value in: as is, JSON-escaped, percent-encoded', () => {
    const secret = 'se"cr/et ü\\x';
    const r = new Redactor('tok-123');
    r.secret(secret);
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])
      expect(r.text(`got [${form}]`)).toBe(`got [${SENSITIVE}]`);
  });

  it('shows a webhook URL as the plans show live URLs, unless the run masks it', () => {
    const r = new Redactor('tok-123');
    r.url('https://hooks.example.com/services/T0/B0/XYZ?k=1');
    r.url('https://env.example.com/hook/abc');
    expect(r.text('bad url https://hooks.example.com/services/T0/B0/XYZ?k=1!')).toBe(
      'bad url https://hooks.example.com/…!',
    );
    r.use(new Masker([{ value: 'https://env.example.com/hook/abc', shown: '${HOOK_URL}' }]));
    expect(r.text('bad url https://env.example.com/hook/abc')).toBe('bad url ${HOOK_URL}');
  });

  it('masks in one pass, longest first, across its own values and the run masker', () => {
    const r = new Redactor('tok-123');
    // An environment value that holds the secret, and a secret that holds an environment value.
    r.secret('inner');
    r.use(new Masker([{ value: 'outer-inner-outer', shown: '${OUTER}' }]));
    r.use(new Masker([{ value: 'PK', shown: '${PROJ}' }]));
    r.secret('xxPKxx');
    expect(r.text('a outer-inner-outer b inner c xxPKxx d PK')).toBe(
      `a \${OUTER} b ${SENSITIVE} c ${SENSITIVE} d \${PROJ}`,
    );
  });

  it('redacts before it cuts: a value across the cut never shows its first part', () => {
    const r = new Redactor('tok-123');
    r.secret(SECRET);
    for (let pad = 0; pad <= 60; pad++) {
      const out = r.serverText(`${'.'.repeat(pad)}${SECRET} and more text after it`, 40);
      noPiece(out, SECRET, 3);
      expect(Array.from(out.replace(/…$/, '')).length).toBeLessThanOrEqual(40);
    }
  });

  it('escapes control characters after redacting, so a value holding one is still found', () => {
    const r = new Redactor('tok-123');
    r.secret('line1\nline2');
    expect(r.serverText('x line1\nline2 \u001b[2J y\nz', 100)).toBe(
      `x ${SENSITIVE} \\u001b[2J y\\nz`,
    );
  });

  it('cuts between characters, never inside a surrogate pair', () => {
    const r = new Redactor('tok-123');
    const out = r.serverText('🚀'.repeat(10), 3);
    expect(out).toBe('🚀🚀🚀…');
  });

  it('forgets nothing it was told: a later masker adds to the earlier one', () => {
    const r = new Redactor('tok-123');
    r.use(new Masker([{ value: 'first-value', shown: '${A}' }]));
    r.use(new Masker([{ value: 'second-value', shown: '${B}' }]));
    expect(r.text('first-value second-value')).toBe('${A} ${B}');
  });
});
