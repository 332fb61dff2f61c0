import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/paths.js';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);

describe('architecture (DESIGN.md section 4)', () => {
  it('keeps src/core pure: no imports from other layers, no I/O modules', () => {
    const offending: string[] = [];
    for (const file of files(path.join(ROOT, 'src/core'))) {
      for (const spec of imports(file)) {
        const outward =
          spec.startsWith('.') &&
          !path.resolve(path.dirname(file), spec).startsWith(path.join(ROOT, 'src/core'));
        const io =
          /^node:(fs|http|https|net|child_process|process|readline)/.test(spec) || spec === 'ky';
        if (outward || io) offending.push(`${path.relative(ROOT, file)} imports ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('keeps renderers free of engine, adapters and CLI', () => {
    const offending = files(path.join(ROOT, 'src/render')).flatMap((file) =>
      imports(file)
        .filter((spec) => /\/(engine|adapters|cli)\//.test(spec))
        .map((spec) => `${path.relative(ROOT, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
