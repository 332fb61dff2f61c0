import type { SourceDocument } from '../source.js';

/** What a message says in place of a value from the environment that has no template. */
export const NOT_SHOWN = '(a value from the environment, not shown)';

/**
 * A string of the config as a message quotes it: as resolved when it is written in the file,
 * as its template when it holds a value from the environment (the template is in the file).
 */
export function quote(doc: SourceDocument, pointer: string, value: string): string {
  if (!doc.isSensitive(pointer)) return `"${value}"`;
  const template = doc.templateOf(pointer);
  return template !== undefined ? `"${template}"` : NOT_SHOWN;
}

/**
 * Whether a message may name the last kind of a specifier: always when it is written in the
 * file, and when it holds a value from the environment only if the kind is spelled in the
 * template itself (`proj/${PROJ}:flag/*` names `flag`; `proj/*:${KIND}/*` does not).
 */
export function leafKindShown(doc: SourceDocument, pointer: string, kind: string): boolean {
  if (!doc.isSensitive(pointer)) return true;
  const template = doc.templateOf(pointer);
  return template?.split(':').at(-1)?.startsWith(`${kind}/`) ?? false;
}
