import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';
import { SPAWN_TIMEOUT_MS } from '../support/timeouts.js';

interface Packed {
  files: { path: string }[];
}

describe('the npm package', () => {
  it(
    'ships the bundled CLI and the built library, the schemas, the README, the changelog and the licence, and nothing else',
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
      expect(tops).toEqual([
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'dist',
        'package.json',
        'schemas',
      ]);
      expect(files).toEqual(
        expect.arrayContaining([
          'dist/cli-bundle/main.js',
          'dist/cli-bundle/main.js.map',
          'dist/cli-bundle/THIRD-PARTY-LICENSES.txt',
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
      // The command is the bundle, every chunk of it; tsc's build of the CLI, which no entry
      // point reaches, stays out.
      const bundle = readdirSync(path.join(ROOT, 'dist/cli-bundle')).map(
        (f) => `dist/cli-bundle/${f}`,
      );
      expect(files).toEqual(expect.arrayContaining(bundle));
      expect(files.filter((f) => f.startsWith('dist/cli/'))).toEqual([]);
      // Nothing runs when a project installs it (npm counts prepare among install scripts).
      for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
        expect(pkg.scripts[hook], hook).toBeUndefined();
      expect(pkg.engines.node).toBe('>=20');
    },
    SPAWN_TIMEOUT_MS,
  );

  it('describes itself completely: what it is, where its entry points are, what it runs on', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('ldhooks');
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.description.length).toBeGreaterThan(20);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['launchdarkly', 'webhooks']));
    // The licence it names is the one it ships.
    expect(pkg.license).toBe('Apache-2.0');
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(
      /^\s*Apache License\s+Version 2\.0, January 2004/,
    );
    expect(pkg.type).toBe('module');
    expect(pkg.bin).toEqual({ ldhooks: 'dist/cli-bundle/main.js' });
    expect(readFileSync(path.join(ROOT, 'dist/cli-bundle/main.js'), 'utf8')).toMatch(
      /^#!\/usr\/bin\/env node\n/,
    );
    expect(pkg.types).toBe('dist/index.d.ts');
    // The library, the emulator and the schemas, each with its types where it has any.
    expect(pkg.exports).toEqual({
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './emulator': {
        types: './dist/adapters/emulator/index.d.ts',
        default: './dist/adapters/emulator/index.js',
      },
      './schemas/*': './schemas/*',
      './package.json': './package.json',
    });
    // Built when packed, from a clean dist/, so that no file of a deleted source ships.
    expect(pkg.scripts.prepack).toBe('npm run build');
    expect(pkg.scripts.build).toMatch(
      /^node -e .*rmSync\('dist'.*&& tsc .*&& node scripts\/bundle-cli\.mjs$/,
    );
    expect(pkg.files).toEqual(['dist', '!dist/cli', 'schemas', 'CHANGELOG.md']);
  });
});
