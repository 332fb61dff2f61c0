import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from '../../src/core/signature.js';
import { check } from '../support/property.js';

const body = '{"kind":"flag","name":"checkout"}';
const sign = (b: string | Uint8Array, secret: string) =>
  createHmac('sha256', secret).update(b).digest('hex');

describe('verifySignature', () => {
  it('accepts the hex HMAC-SHA256 of the raw body, as string or bytes', () => {
    const sig = sign(body, 's3cret');
    expect(signBody(body, 's3cret')).toBe(sig);
    expect(verifySignature(body, sig, 's3cret')).toEqual({ ok: true, secretIndex: 0 });
    expect(verifySignature(Buffer.from(body), sig, 's3cret')).toEqual({ ok: true, secretIndex: 0 });
    expect(verifySignature(new TextEncoder().encode(body), sig, ['s3cret'])).toEqual({
      ok: true,
      secretIndex: 0,
    });
    expect(verifySignature(body, sig.toUpperCase(), 's3cret').ok).toBe(true);
    expect(verifySignature(body, [sig], 's3cret').ok).toBe(true);
  });

  it('says which of several secrets matched (rotation)', () => {
    expect(verifySignature(body, sign(body, 'old'), ['new', 'old'])).toEqual({
      ok: true,
      secretIndex: 1,
    });
    expect(verifySignature(body, sign(body, 'new'), ['new', 'old'])).toEqual({
      ok: true,
      secretIndex: 0,
    });
  });

  it('says why a delivery does not verify, without throwing', () => {
    expect(verifySignature(body, undefined, 's')).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(body, null, 's')).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(body, '', 's')).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(body, [], 's')).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(body, 'abc', 's')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(body, 'z'.repeat(64), 's')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(body, `sha256=${sign(body, 's')}`, 's')).toEqual({
      ok: false,
      reason: 'malformed',
    });
    const sig = sign(body, 's');
    expect(verifySignature(body, [sig, sig], 's')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(body, sig, 'other')).toEqual({ ok: false, reason: 'mismatch' });
    // No secret to check with: said as such, never a throw, and an empty secret never verifies.
    for (const none of [[], '', [''], undefined, null, 5, {}, [undefined], [5]]) {
      expect(verifySignature(body, sign(body, ''), none as unknown as string)).toEqual({
        ok: false,
        reason: 'no-secret',
      });
    }
    expect(verifySignature(body, sig, ['', 's'])).toEqual({ ok: true, secretIndex: 1 });
    expect(verifySignature(body, sig, new Set(['other', 's']))).toEqual({
      ok: true,
      secretIndex: 1,
    });
    // Bad types from untyped callers: a result, never an exception.
    expect(verifySignature(body, 42 as unknown as string, 's')).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifySignature(42 as unknown as string, sig, 's')).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('property: a body signed with any of the secrets verifies; an altered body or signature does not', () => {
    const secret = fc.string({ minLength: 1, maxLength: 40 });
    check(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uniqueArray(secret, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.nat(63),
        (bytes, secrets, pick, at, flip, hexAt) => {
          const index = pick % secrets.length;
          const signer = secrets[index] as string;
          const sig = signBody(bytes, signer);
          const ok = verifySignature(bytes, sig, secrets);
          // With repeated-equal keys impossible (unique), the first match is the signer's
          // unless another secret yields the same HMAC (never in practice).
          expect(ok).toEqual({ ok: true, secretIndex: index });
          expect(verifySignature(Buffer.from(bytes).toString('latin1'), sig, secrets).ok).toBe(
            Buffer.from(Buffer.from(bytes).toString('latin1'), 'utf8').equals(Buffer.from(bytes)),
          );

          // An altered body: one byte changed, or one byte added.
          const altered = Uint8Array.from(bytes);
          if (altered.length > 0) {
            const i = at % altered.length;
            altered[i] = (altered[i] as number) ^ flip;
          }
          const changed = altered.length > 0 ? altered : Uint8Array.of(flip);
          expect(verifySignature(changed, sig, secrets)).toEqual({ ok: false, reason: 'mismatch' });
          expect(verifySignature(Uint8Array.from([...bytes, flip]), sig, secrets).ok).toBe(false);

          // An altered signature: one hex digit changed.
          const digit = sig[hexAt] as string;
          const other = ((Number.parseInt(digit, 16) + (flip % 15) + 1) % 16).toString(16);
          const badSig = sig.slice(0, hexAt) + other + sig.slice(hexAt + 1);
          expect(verifySignature(bytes, badSig, secrets)).toEqual({
            ok: false,
            reason: 'mismatch',
          });
          expect(verifySignature(bytes, sig.slice(1), secrets)).toEqual({
            ok: false,
            reason: 'malformed',
          });
        },
      ),
      200,
    );
  });
});
