/**
 * Characters that must never reach a terminal or a Markdown document raw: C0 and C1 controls
 * and DEL (a newline forges lines and table rows, ESC starts a terminal sequence, U+009B is
 * CSI on some terminals), the line and paragraph separators, and the bidirectional controls
 * that make text read in another order than it is stored.
 */
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ANY_CONTROL = new RegExp(CONTROL.source);

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Escapes control characters visibly (`\n`, `\u001b`), so that a string from LaunchDarkly or a
 * config file shows as one line of inert text. Everything else is left as it is.
 */
export function escapeControl(s: string): string {
  // Most text is printable ASCII, which holds none of them: said by a simpler, faster scan; a
  // search for one is cheaper than a replacement that finds none.
  if (PRINTABLE_ASCII.test(s) || !ANY_CONTROL.test(s)) return s;
  return s.replace(
    CONTROL,
    (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
