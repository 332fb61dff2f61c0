import { expect } from 'vitest';

/**
 * What a terminal or a CI log must never receive raw from input: C0 controls but the line
 * break, DEL, C1 (U+009B is CSI on some terminals), the bidirectional controls, and the line and
 * paragraph separators.
 */
export const RAW_CONTROL =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each invisible character on its own is the point
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what must never be printed raw
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\u00ad\u034f\u180e\u200b-\u200d\u2060-\u2064\u3164\ufeff\uffa0]|\udb40[\udc00-\udc7f\udd00-\uddef]/;

/**
 * Every line of the output is inert: no raw control character, and nothing a CI runner reads as
 * a command (GitHub Actions' `::name::` at the start, leading spaces allowed, or the older
 * `##[name]` and Azure's `##vso[` anywhere).
 */
export function expectInert(output: string, what: string): void {
  for (const line of output.split('\n')) {
    const shown = `${what}: ${JSON.stringify(line)}`;
    expect(line, shown).not.toMatch(/^\s*::/);
    expect(line, shown).not.toMatch(/##(vso)?\[/);
    expect(RAW_CONTROL.test(line), shown).toBe(false);
  }
}
