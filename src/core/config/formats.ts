import { fullFormats } from 'ajv-formats/dist/formats.js';

// The JSON Schema formats the precompiled config validator checks (config-validator.generated.ts
// imports them; scripts/build-validators.mjs says so). Each decides exactly what ajv-formats'
// "full" format of the same name decides, which the validator was once compiled with and which
// the tests compare it with; only the cost differs.

const ajvUri = fullFormats.uri as (value: string) => boolean;

/**
 * ajv-formats' URI pattern (RFC 3986, MIT licensed) without its host alternatives for an IP
 * literal (`[...]`) and an IPv4 address. Its every other part admits no `[`, so for a string
 * without one the IP-literal branch cannot match; and an IPv4 address also matches the
 * registered-name branch. This pattern accepts what the whole one does for every such string,
 * and costs V8 a tenth of the time to compile: ajv-formats' pattern, compiled at the first URL a
 * run checks, was a noticeable part of `ldhooks validate`'s start-up.
 */
const URI_WITHOUT_IP_LITERAL =
  /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

/** ajv-formats' own first test: a URI has a "/" or a ":". */
const NOT_URI_FRAGMENT = /\/|:/;

/** The `uri` format: what ajv-formats' full `uri` decides. */
export function uri(value: string): boolean {
  if (value.includes('[')) return ajvUri(value);
  return NOT_URI_FRAGMENT.test(value) && URI_WITHOUT_IP_LITERAL.test(value);
}

/** The formats by name, as the generated validator reads them. */
export const configFormats = { uri };
