/** Where and how to reach LaunchDarkly, resolved from flags and the environment. */
export interface ApiSettings {
  baseUri: string;
  token: string;
}

/** What {@link resolveApiSettings} resolves from: the flags, and the environment. */
export interface ApiSettingsInput {
  /** `--base-uri` */
  baseUri?: string;
  /** `--insecure`: allow plain http to a host other than loopback. */
  insecure?: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * What the command does with webhooks, for the message about a missing token: `read` (plan,
   * import: a read-only role is enough), `write` (apply). Default: both said.
   */
  access?: 'read' | 'write';
}

export const DEFAULT_BASE_URI = 'https://app.launchdarkly.com';

/** A problem with the settings: reported before any request is sent. */
export class SettingsError extends Error {
  /** What to do about it: the end of the message, after `: ` or `; `. */
  readonly remedy: string | undefined;

  constructor(problem: string, remedy?: string, separator: ': ' | '; ' = '; ') {
    super(remedy === undefined ? problem : `${problem}${separator}${remedy}`);
    this.name = 'SettingsError';
    this.remedy = remedy;
  }
}

const ROLE = {
  read: 'whose role can read webhooks (a read-only role is enough: this command only reads)',
  write: 'whose role can read and write webhooks',
  either: 'whose role can read webhooks (and write them, for apply)',
} as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Token from LD_ACCESS_TOKEN, else LAUNCHDARKLY_ACCESS_TOKEN. Base URI from --base-uri, else
 * LD_BASE_URI, else LAUNCHDARKLY_API_HOST, else app.launchdarkly.com.
 */
export function resolveApiSettings(input: ApiSettingsInput): ApiSettings {
  const token =
    nonEmpty(input.env.LD_ACCESS_TOKEN) ?? nonEmpty(input.env.LAUNCHDARKLY_ACCESS_TOKEN);
  if (!token) {
    // A CI secret that is missing or named otherwise arrives as an empty variable.
    const empty = ['LD_ACCESS_TOKEN', 'LAUNCHDARKLY_ACCESS_TOKEN'].flatMap((name) => {
      const value = input.env[name];
      if (value === undefined) return [];
      return [`${name} ${value === '' ? 'is empty' : 'holds only whitespace'}`];
    });
    throw new SettingsError(
      empty.length > 0
        ? `no LaunchDarkly access token: ${empty.join(' and ')}`
        : 'no LaunchDarkly access token',
      `set LD_ACCESS_TOKEN (or LAUNCHDARKLY_ACCESS_TOKEN) to an API access token ${ROLE[input.access ?? 'either']}${empty.length > 0 ? '; in CI, check that the secret it is set from exists and is named the same' : ''}`,
      empty.length > 0 ? '; ' : ': ',
    );
  }
  const raw =
    nonEmpty(input.baseUri) ??
    nonEmpty(input.env.LD_BASE_URI) ??
    nonEmpty(input.env.LAUNCHDARKLY_API_HOST) ??
    DEFAULT_BASE_URI;
  const source = nonEmpty(input.baseUri)
    ? '--base-uri'
    : nonEmpty(input.env.LD_BASE_URI)
      ? 'LD_BASE_URI'
      : nonEmpty(input.env.LAUNCHDARKLY_API_HOST)
        ? 'LAUNCHDARKLY_API_HOST'
        : 'the default';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: a value that is not a URL is often a token pasted into the wrong variable.
    throw new SettingsError(
      `${source} is not a URL (its value is not shown, in case it is a token pasted in the wrong place)`,
      'write it like https://app.launchdarkly.com',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SettingsError(
      `${source} must be an http(s) URL, not another scheme`,
      'write it like https://app.launchdarkly.com',
    );
  }
  if (url.username || url.password) {
    throw new SettingsError(
      `${source} must not carry credentials`,
      'put the token in LD_ACCESS_TOKEN',
    );
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname) && !input.insecure) {
    throw new SettingsError(
      `${source} is plain http to ${url.host}: the access token would cross the network unencrypted`,
      'use https, or pass --insecure if you mean it',
    );
  }
  return { baseUri: `${url.origin}${apiRoot(url.pathname)}`, token };
}

/**
 * The base URI is where `/api/v2/webhooks` is added. The API's own address (`…/api/v2`, or
 * the webhooks route itself) is what people copy from the documentation: it means the same.
 */
function apiRoot(pathname: string): string {
  return pathname.replace(/\/+$/, '').replace(/\/api\/v2(\/webhooks)?$/, '');
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}
