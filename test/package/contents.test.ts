import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';
import { SPAWN_TIMEOUT_MS } from '../support/timeouts.js';

interface Packed {
  files: { path: string }[];
}

describe('the npm package', () => {
  it(
    'ships the built CLI and library, the schemas, the README and the changelog, and nothing else',
    () => {
      // npm itself says what `npm pack` would put in the tarball; dist/ was built by npm test.
      const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const [packed] = JSON.parse(r.stdout) as Packed[];
      const files = (packed as Packed).files.map((f) => f.path);
      const tops = [...new Set(files.map((f) => f.split('/')[0]))].sort();
      expect(tops).toEqual(['CHANGELOG.md', 'README.md', 'dist', 'package.json', 'schemas']);
      expect(files).toEqual(
        expect.arrayContaining([
          'dist/cli/main.js',
          'dist/index.js',
          'dist/index.d.ts',
          'schemas/ldhooks.schema.json',
          'schemas/plan.schema.json',
        ]),
      );
      // Every entry point the package names is in it.
      const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      const targets = [
        ...Object.values(pkg.bin as Record<string, string>),
        ...Object.values(pkg.exports as Record<string, string | Record<string, string>>).flatMap(
          (e) => (typeof e === 'string' ? [e] : Object.values(e)),
        ),
      ]
        .filter((t) => !t.includes('*'))
        .map((t) => t.replace(/^\.\//, ''));
      for (const t of targets) expect(files, t).toContain(t);
      // Nothing runs when a project installs it (npm counts prepare among install scripts).
      for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
        expect(pkg.scripts[hook], hook).toBeUndefined();
      expect(pkg.engines.node).toBe('>=20');
    },
    SPAWN_TIMEOUT_MS,
  );
});
