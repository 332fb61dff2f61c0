/**
 * JSON Pointers (RFC 6901) are how positions and sensitivity are keyed; users read the
 * dotted form (`webhooks[2].statements[0].effect`).
 */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function joinPointer(pointer: string, segment: string | number): string {
  const s = String(segment);
  if (!s.includes('~') && !s.includes('/')) return `${pointer}/${s}`;
  return `${pointer}/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export function pointerToPath(pointer: string): string {
  let out = '';
  for (const seg of pointerSegments(pointer)) {
    if (/^(0|[1-9][0-9]*)$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
