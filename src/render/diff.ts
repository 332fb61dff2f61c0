import { structuredPatch } from 'diff';
import { stringify } from 'yaml';

/**
 * A string yaml writes as itself, unquoted, wherever it stands: letters, digits and `_./*-`,
 * starting with a letter or `_`, with single colons inside (never before a space or at the end,
 * where YAML would read a key). The words YAML reads as null or a boolean are quoted by yaml.
 */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./*-]*(?::[A-Za-z0-9_./*-]+)*$/;
const TYPED = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const plain = (v: unknown): v is string => typeof v === 'string' && PLAIN.test(v) && !TYPED.test(v);

/**
 * The block YAML that yaml's `stringify` writes for the lists a plan shows (tags; statements,
 * whose values are lists of strings), made directly: a plan of thousands of updates would
 * otherwise build a YAML document for each side of each change. Undefined for anything else,
 * which yaml writes; a property test holds the two to the same text.
 */
export function blockList(value: readonly unknown[]): string | undefined {
  let out = '';
  for (const item of value) {
    if (plain(item)) {
      out += `- ${item}\n`;
      continue;
    }
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
    const entries = Object.entries(item);
    if (entries.length === 0) return undefined;
    let lead = '- ';
    for (const [key, v] of entries) {
      if (!plain(key)) return undefined;
      if (plain(v)) out += `${lead}${key}: ${v}\n`;
      else if (!Array.isArray(v)) return undefined;
      else if (v.length === 0) out += `${lead}${key}: []\n`;
      else {
        out += `${lead}${key}:\n`;
        for (const s of v) {
          if (!plain(s)) return undefined;
          out += `    - ${s}\n`;
        }
      }
      lead = '  ';
    }
  }
  return out;
}

/** The YAML form of a value, as a reviewer would write it. */
export function yamlOf(value: unknown): string {
  if (Array.isArray(value) && value.length === 0) return '[]\n';
  return (
    (Array.isArray(value) ? blockList(value) : undefined) ?? stringify(value, { lineWidth: 0 })
  );
}

/**
 * The one hunk of two texts that share no line (statements added where there were none, a list
 * replaced): every line removed, then every line added, as the diff library writes it; a
 * property test holds the two to the same lines. Undefined when a line is shared.
 */
function replacement(before: string, after: string): string[] | undefined {
  const old = before.split('\n').slice(0, -1);
  const added = after.split('\n').slice(0, -1);
  if (old.length === 0 || added.length === 0) return undefined;
  const seen = new Set(old);
  if (added.some((line) => seen.has(line))) return undefined;
  return [
    `@@ -1,${old.length} +1,${added.length} @@`,
    ...old.map((line) => `-${line}`),
    ...added.map((line) => `+${line}`),
  ];
}

/** A unified diff of the YAML forms of two values: the hunk lines, each prefixed +, - or space. */
export function yamlDiffLines(before: unknown, after: unknown): string[] {
  const from = yamlOf(before);
  const to = yamlOf(after);
  const replaced = replacement(from, to);
  if (replaced) return replaced;
  const patch = structuredPatch('before', 'after', from, to, '', '', { context: 3 });
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) if (!line.startsWith('\\')) lines.push(line);
  }
  return lines;
}
