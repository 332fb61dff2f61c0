import { structuredPatch } from 'diff';
import { stringify } from 'yaml';

/** The YAML form of a value, as a reviewer would write it. */
export function yamlOf(value: unknown): string {
  if (Array.isArray(value) && value.length === 0) return '[]\n';
  return stringify(value, { lineWidth: 0 });
}

/** A unified diff of the YAML forms of two values: the hunk lines, each prefixed +, - or space. */
export function yamlDiffLines(before: unknown, after: unknown): string[] {
  const patch = structuredPatch('before', 'after', yamlOf(before), yamlOf(after), '', '', {
    context: 3,
  });
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) if (!line.startsWith('\\')) lines.push(line);
  }
  return lines;
}
