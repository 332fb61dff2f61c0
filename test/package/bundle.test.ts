import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { CLI, ROOT, runCli, SPAWN_TIMEOUT_MS, spawnCli } from '../support/cli.js';

// The command the package ships is a bundle (scripts/bundle-cli.mjs): its own code and its
// dependencies' copied into a few files. What copying must keep: the dependencies' notices,
// readable sources behind every line, and the two facts a module derives from where it lies
// (the package version and the schema's place).

const BUNDLE = path.dirname(CLI);

interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
}

async function maps(): Promise<[string, SourceMap][]> {
  const files = (await readdir(BUNDLE)).filter((f) => f.endsWith('.js'));
  return Promise.all(
    files.map(
      async (f): Promise<[string, SourceMap]> => [
        f,
        JSON.parse(await readFile(path.join(BUNDLE, `${f}.map`), 'utf8')),
      ],
    ),
  );
}

/** Every package with code in the bundle, by the folder it was copied from, as the maps say. */
async function bundledPackages(): Promise<Map<string, string>> {
  const packages = new Map<string, string>();
  for (const [, map] of await maps())
    for (const source of map.sources) {
      const file = path.resolve(BUNDLE, source).replaceAll(path.sep, '/');
      const m = /^(.*\/node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(file);
      if (m) packages.set(m[2] as string, m[1] as string);
    }
  return packages;
}

describe('the bundled command', () => {
  it('is the package bin: an executable ES module with a #! line', async () => {
    expect(path.relative(ROOT, CLI)).toBe(path.join('dist', 'cli-bundle', 'main.js'));
    expect(await readFile(CLI, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect((await stat(CLI)).mode & 0o111).not.toBe(0);
  });

  it('ships the licence and notices of every package copied into it, verbatim', async () => {
    const packages = await bundledPackages();
    // The dependencies the commands use: the list cannot come out empty by mistake.
    expect([...packages.keys()].sort()).toEqual(
      expect.arrayContaining(['ajv', 'commander', 'diff', 'fast-json-patch', 'ky', 'yaml']),
    );
    const notices = await readFile(path.join(BUNDLE, 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const [name, dir] of packages) {
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
      expect(notices, name).toContain(`${name}@${pkg.version} (${pkg.license})`);
      const files = (await readdir(dir)).filter((f) => /^(licen[cs]e|notice)/i.test(f));
      expect(files.length, `${name} has a licence file`).toBeGreaterThan(0);
      for (const f of files)
        expect(notices, `${name}/${f}`).toContain(
          (await readFile(path.join(dir, f), 'utf8')).trim(),
        );
    }
  });

  it('has a source map beside every file, each carrying the sources it maps to', async () => {
    const all = await maps();
    expect(all.map(([f]) => f)).toContain('main.js');
    for (const [file, map] of all) {
      expect(await readFile(path.join(BUNDLE, file), 'utf8'), file).toContain(
        `//# sourceMappingURL=${file}.map`,
      );
      expect(map.sourcesContent?.length, file).toBe(map.sources.length);
      for (const [i, content] of (map.sourcesContent ?? []).entries())
        expect(typeof content, `${file}: ${map.sources[i]}`).toBe('string');
    }
    // Our own code maps to the TypeScript it was written in.
    const [, main] = all.find(([f]) => f === 'main.js') as [string, SourceMap];
    expect(main.sources.map((s) => path.relative(ROOT, path.resolve(BUNDLE, s)))).toContain(
      path.join('src', 'cli', 'program.ts'),
    );
  });

  it(
    "prints the package's version",
    async () => {
      const r = await spawnCli(['--version'], { offline: true });
      const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
      expect(r.stdout).toBe(`${version}\n`);
      expect(r.code).toBe(0);
    },
    SPAWN_TIMEOUT_MS,
  );

  describe('reading YAML', () => {
    // The bundle holds yaml's ES module build, the library (and runCli) its CommonJS build
    // (scripts/bundle-cli.mjs says why they cannot differ for ldhooks): same answers, to the byte.
    let odd: string;
    beforeAll(async () => {
      odd = await mkdtemp(path.join(tmpdir(), 'ldhooks-yaml-'));
      const files: Record<string, string> = {
        // A collection as a key, which yaml's toJS would warn about.
        'complex-key.yaml':
          'version: 1\nwebhooks:\n  - name: a\n    url: https://a.example.com/\n    ? [k1, k2]\n    : v\n    ? { k: 1 }\n    : w\n',
        // Tags of the YAML 1.1 schema, and a few of none.
        'tags.yaml':
          'version: 1\nwebhooks:\n  - name: !!binary aGVsbG8=\n    url: !!timestamp 2001-12-14\n    tags: !!set { a, b }\n    on: !custom yes\n',
        'anchors.yaml':
          'version: 1\ndefaults: &d\n  tags: [x]\nwebhooks:\n  - <<: *d\n    name: b\n    url: https://b.example.com/\n  - name: c\n    url: https://c.example.com/\n    tags: *d\n',
        'documents.yaml':
          '---\nversion: 1\nwebhooks: []\n---\nversion: 1\nwebhooks:\n  - { name: d, url: "https://d.example.com/", statements: [{ effect: allow, resources: ["proj/*"], actions: ["*"] }] }\n...\n',
        'broken.yaml': 'version: 1\nwebhooks:\n  - name: "e\n    url: [\n',
      };
      await mkdir(odd, { recursive: true });
      for (const [name, text] of Object.entries(files)) await writeFile(path.join(odd, name), text);
    });
    afterAll(async () => {
      if (odd) await rm(odd, { recursive: true, force: true });
    });

    it.each([
      ['the invalid fixtures', ['validate', 'test/fixtures/invalid/']],
      ['the invalid fixtures, as JSON', ['validate', '--format', 'json', 'test/fixtures/invalid/']],
      ['YAML that yaml treats specially', ['validate', 'ODD']],
      ['YAML that yaml treats specially, as JSON', ['validate', '--format', 'json', 'ODD']],
      ['the examples', ['validate', 'examples/']],
    ])(
      '%s: the bundled command answers as the library does',
      async (_, given) => {
        const args = given.map((a) => (a === 'ODD' ? odd : a));
        const env = { LD_HOOK_SECRET: 'x' };
        const [bundled, library] = [await spawnCli(args, { env }), await runCli(args, { env })];
        expect(bundled).toEqual(library);
        expect(bundled.stdout + bundled.stderr).not.toMatch(/Warning|\(node:/);
      },
      SPAWN_TIMEOUT_MS,
    );
  });

  describe('import', () => {
    let emulator: Emulator;
    let dir: string;
    beforeAll(async () => {
      emulator = await startEmulator();
      dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-bundle-'));
    });
    afterAll(async () => {
      await emulator?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it(
      'points the config it writes at the schema the package ships',
      async () => {
        emulator.store.put({
          _id: '0123456789abcdef01234567',
          name: 'made-by-hand',
          url: 'https://hooks.example.com/in',
          on: true,
          tags: [],
        });
        const out = path.join(dir, 'webhooks');
        const r = await spawnCli(['import', '--all', '--out', out], {
          env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token },
        });
        expect(r.code, r.stderr).toBe(0);
        const written = await readFile(path.join(out, 'webhooks.yaml'), 'utf8');
        const schema = /\$schema=(\S+)/.exec(written)?.[1];
        expect(schema).toBeDefined();
        expect(path.resolve(out, schema as string)).toBe(
          path.join(ROOT, 'schemas', 'ldhooks.schema.json'),
        );
      },
      SPAWN_TIMEOUT_MS,
    );
  });
});
