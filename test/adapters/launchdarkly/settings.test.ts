import { describe, expect, it } from 'vitest';
import { resolveApiSettings, SettingsError } from '../../../src/adapters/launchdarkly/settings.js';

const TOKEN = 'api-secret-value-1234';

describe('resolveApiSettings', () => {
  it('takes LD_ACCESS_TOKEN first, then LAUNCHDARKLY_ACCESS_TOKEN', () => {
    expect(
      resolveApiSettings({ env: { LD_ACCESS_TOKEN: 'a', LAUNCHDARKLY_ACCESS_TOKEN: 'b' } }).token,
    ).toBe('a');
    expect(resolveApiSettings({ env: { LAUNCHDARKLY_ACCESS_TOKEN: 'b' } }).token).toBe('b');
  });

  it('refuses a missing token before any request, naming both variables', () => {
    expect(() => resolveApiSettings({ env: {} })).toThrow(
      /^no LaunchDarkly access token: set LD_ACCESS_TOKEN \(or LAUNCHDARKLY_ACCESS_TOKEN\) to an API access token whose role can read webhooks \(and write them, for apply\)$/,
    );
    expect(() => resolveApiSettings({ env: { LD_ACCESS_TOKEN: '  ' }, access: 'write' })).toThrow(
      /^no LaunchDarkly access token: LD_ACCESS_TOKEN holds only whitespace; set LD_ACCESS_TOKEN \(or LAUNCHDARKLY_ACCESS_TOKEN\) to an API access token whose role can read and write webhooks; in CI/,
    );
  });

  it.each([
    [{}, {}, 'https://app.launchdarkly.com'],
    [{}, { LAUNCHDARKLY_API_HOST: 'https://app.launchdarkly.us' }, 'https://app.launchdarkly.us'],
    [
      {},
      { LD_BASE_URI: 'https://app.eu.launchdarkly.com/', LAUNCHDARKLY_API_HOST: 'https://x' },
      'https://app.eu.launchdarkly.com',
    ],
    [
      { baseUri: 'http://127.0.0.1:8787' },
      { LD_BASE_URI: 'https://app.eu.launchdarkly.com' },
      'http://127.0.0.1:8787',
    ],
    [{ baseUri: 'http://localhost:9' }, {}, 'http://localhost:9'],
    [{ baseUri: 'http://ld.internal:80', insecure: true }, {}, 'http://ld.internal'],
    [{ baseUri: 'https://app.launchdarkly.com/api/v2' }, {}, 'https://app.launchdarkly.com'],
    [
      {},
      { LD_BASE_URI: 'https://app.eu.launchdarkly.com/api/v2/' },
      'https://app.eu.launchdarkly.com',
    ],
    [
      { baseUri: 'https://app.launchdarkly.com/api/v2/webhooks' },
      {},
      'https://app.launchdarkly.com',
    ],
    [{ baseUri: 'https://proxy.example.com/ld/api/v2' }, {}, 'https://proxy.example.com/ld'],
    [{ baseUri: 'https://proxy.example.com/ld' }, {}, 'https://proxy.example.com/ld'],
  ])('resolves the base URI from %j and %j', (flags, env, expected) => {
    expect(resolveApiSettings({ ...flags, env: { LD_ACCESS_TOKEN: TOKEN, ...env } }).baseUri).toBe(
      expected,
    );
  });

  it('refuses plain http to another host unless --insecure', () => {
    const run = () =>
      resolveApiSettings({ baseUri: 'http://ld.example.com', env: { LD_ACCESS_TOKEN: TOKEN } });
    expect(run).toThrow(SettingsError);
    expect(run).toThrow(
      '--base-uri is plain http to ld.example.com: the access token would cross the network unencrypted',
    );
  });

  it.each([
    ['not a url', '--base-uri is not a URL'],
    ['ftp://x', 'must be an http(s) URL'],
    ['https://user:pw@x.example.com', 'must not carry credentials'],
  ])('refuses the base URI %s', (baseUri, message) => {
    let error: unknown;
    try {
      resolveApiSettings({ baseUri, env: { LD_ACCESS_TOKEN: TOKEN } });
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('never echoes a base URI that is not a URL: it may be a token pasted in the wrong place', () => {
    const pasted = 'api-7f3c2b1e-pasted-token';
    for (const env of [{ LD_BASE_URI: pasted }, { LAUNCHDARKLY_API_HOST: `${pasted}:x` }]) {
      let error: unknown;
      try {
        resolveApiSettings({ env: { LD_ACCESS_TOKEN: TOKEN, ...env } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as Error).message).toMatch(/^(LD_BASE_URI|LAUNCHDARKLY_API_HOST) /);
      expect((error as Error).message).toContain('https://app.launchdarkly.com');
      expect((error as Error).message).not.toContain('api-7f3c2b1e');
    }
  });
});
