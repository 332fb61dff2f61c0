import { describe, expect, it } from 'vitest';
import { describeNetworkFailure } from '../../src/adapters/network-failure.js';

/** An error as Node's fetch throws it: "fetch failed", the real reason in its cause. */
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('describeNetworkFailure', () => {
  it.each([
    [
      'a refused connection',
      fetchFailed(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8787')),
      'connection refused (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:8787)',
    ],
    [
      'a host DNS does not know',
      fetchFailed(coded('ENOTFOUND', 'getaddrinfo ENOTFOUND app.launchdarkly.invalid')),
      'host not found by DNS (ENOTFOUND: getaddrinfo ENOTFOUND app.launchdarkly.invalid)',
    ],
    [
      'a reset connection',
      fetchFailed(coded('ECONNRESET', 'read ECONNRESET')),
      'connection reset (ECONNRESET: read ECONNRESET)',
    ],
    [
      'a certificate for another host',
      fetchFailed(
        coded(
          'ERR_TLS_CERT_ALTNAME_INVALID',
          "Hostname/IP does not match certificate's altnames: Host: proxy.example.com",
        ),
      ),
      "TLS: the certificate is not for this host (ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: Host: proxy.example.com)",
    ],
    [
      'a self-signed certificate',
      fetchFailed(coded('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')),
      'TLS: a self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate)',
    ],
    [
      'a cause with a message and no code (a port fetch refuses)',
      fetchFailed(new Error('bad port')),
      'bad port',
    ],
    [
      'a host with several addresses, each refused',
      fetchFailed(
        Object.assign(
          new AggregateError([
            coded('ECONNREFUSED', 'connect ECONNREFUSED ::1:8787'),
            coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8787'),
          ]),
          { code: 'ECONNREFUSED' },
        ),
      ),
      'connection refused (ECONNREFUSED: connect ECONNREFUSED ::1:8787; connect ECONNREFUSED 127.0.0.1:8787)',
    ],
    [
      'a body cut off half-way',
      new TypeError('terminated', { cause: coded('UND_ERR_SOCKET', 'other side closed') }),
      'connection closed (UND_ERR_SOCKET: other side closed)',
    ],
    ['an unknown code', fetchFailed(coded('EWEIRD', 'odd')), 'EWEIRD: odd'],
    ['an error with no cause', new Error('something else'), 'something else'],
  ])('says what happened: %s', (_what, error, said) => {
    expect(describeNetworkFailure(error)).toBe(said);
  });
});
