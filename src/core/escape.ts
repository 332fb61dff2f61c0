/**
 * Characters that must never reach a terminal or a Markdown document raw: C0 and C1 controls
 * and DEL (a newline forges lines and table rows, ESC starts a terminal sequence, U+009B is
 * CSI on some terminals), the line and paragraph separators, the bidirectional controls
 * that make text read in another order than it is stored, and the invisible characters that
 * make two different words look the same (zero-width spaces and joiners, a soft hyphen, word
 * joiners and invisible operators, fillers, tag characters, a byte order
 * mark at the start of a later document).
 */
const CONTROL =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each invisible character on its own is the point
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0]|\udb40[\udc00-\udc7f\udd00-\uddef]/g;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ANY_CONTROL = new RegExp(CONTROL.source);

/**
 * Whether a string holds what {@link inertLine} would escape or break: a control character or a
 * CI runner's command form.
 */
export function needsEscaping(s: string): boolean {
  CONTROL.lastIndex = 0;
  COMMAND_ANYWHERE.lastIndex = 0;
  return CONTROL.test(s) || COMMAND_START.test(s) || COMMAND_ANYWHERE.test(s);
}

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
    (c) =>
      NAMED[c] ??
      (c.length === 2
        ? `\\u{${(c.codePointAt(0) as number).toString(16)}}`
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

/**
 * A line start that a CI runner reads as a command rather than text: GitHub Actions' workflow
 * commands (`::error::`, `::stop-commands::`), leading spaces allowed.
 */
const COMMAND_START = /^(\s*):(?=:)/;
/** Runners' older command forms, read anywhere in a line: `##[warning]`, Azure's `##vso[`. */
const COMMAND_ANYWHERE = /##(vso)?\[/g;

/**
 * A line whose values are escaped already, with the forms a CI runner reads as commands broken
 * by an escaped character (`\u003a:error::`, `#\u0023[`): for output that keeps its own
 * control characters (colour).
 */
export function inertCommands(line: string): string {
  // Neither form can be there without `::` or `##`: most lines are returned without a search.
  if (!line.includes('::') && !line.includes('##')) return line;
  return line
    .replace(COMMAND_START, '$1\\u003a')
    .replace(COMMAND_ANYWHERE, (_, vso: string | undefined) => `#\\u0023${vso ?? ''}[`);
}

/**
 * One line of terminal or log output made inert: control characters escaped (so it stays one
 * line), and no CI runner's command forms (see {@link inertCommands}), so that text from a
 * config file or a server can never annotate, mask or stop a workflow's log. In a JSON
 * document, the escapes read as the same characters.
 */
export function inertLine(s: string): string {
  return inertCommands(escapeControl(s));
}

/**
 * Text of several lines made inert line by line: its newlines are kept, every other control
 * character is escaped, and no line reads as a CI runner's command. The last defence of every
 * line the CLI prints; a value is still escaped where it is put into a line (`escapeControl`),
 * so that a newline it holds shows as `\n` instead of starting a line.
 */
export function inertText(s: string): string {
  return s.split('\n').map(inertLine).join('\n');
}
