import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/paths.js';

const SRC = path.join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

/** Every module a file imports, static or dynamic, type-only included. */
const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)].map(
    (m) => m[1] as string,
  );

/** The layer (first folder under src/) a relative import lands in, or `src` for a root file. */
function layerOf(file: string, spec: string): string {
  const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
  return target.includes(path.sep) ? (target.split(path.sep)[0] as string) : 'src';
}

/** What each layer may import from this project (DESIGN.md section 4): dependencies point inward. */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  engine: ['engine', 'core'],
  render: ['render', 'core'],
  adapters: ['adapters', 'core'],
  // The library's entries compose the layers as the CLI does, without the CLI.
  library: ['library', 'engine', 'adapters', 'render', 'core', 'src'],
};

const IO_MODULES = /^(node:)?(fs|fs\/promises|http|https|net|child_process|process|readline)$/;

describe('architecture (DESIGN.md section 4)', () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`${layer} imports only ${allowed.join(' and ')}`, () => {
      const offending: string[] = [];
      for (const file of files(path.join(SRC, layer))) {
        for (const spec of imports(file)) {
          if (!spec.startsWith('.')) continue;
          const target = layerOf(file, spec);
          if (!allowed.includes(target))
            offending.push(`${path.relative(ROOT, file)} imports ${spec}`);
        }
      }
      expect(offending).toEqual([]);
    });
  }

  // The engine reaches files, sockets and processes only through the ports it is handed.
  for (const layer of ['core', 'engine']) {
    it(`keeps ${layer} free of I/O modules and the HTTP client`, () => {
      const offending = files(path.join(SRC, layer)).flatMap((file) =>
        imports(file)
          .filter((spec) => IO_MODULES.test(spec) || spec === 'ky')
          .map((spec) => `${path.relative(ROOT, file)} imports ${spec}`),
      );
      expect(offending).toEqual([]);
    });
  }

  it('sees every layer it checks (a renamed folder must not pass silently)', () => {
    for (const layer of Object.keys(ALLOWED))
      expect(files(path.join(SRC, layer)).length, layer).toBeGreaterThan(2);
  });
});
