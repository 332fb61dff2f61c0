// Bundles the built CLI (dist/cli/main.js, tsc's output) with its dependencies into
// dist/cli-bundle/, the package's `bin`: a run then loads a dozen files instead of resolving and
// loading more than a hundred modules one by one, which was about 40% of what `validate` spent
// starting (bench/startup.bench.mjs). The library (`exports`) stays tsc's output. Code splitting
// keeps every command's import lazy: each command is a chunk of its own, loaded when the command
// line names it. `npm run build` runs this after tsc.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE_DIR = 'dist/cli-bundle';
const LICENSES_FILE = 'THIRD-PARTY-LICENSES.txt';
const outdir = path.join(root, BUNDLE_DIR);
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/**
 * src/version.ts finds the package from its own place in dist/; in the bundle, every chunk sits
 * in dist/cli-bundle/, two levels below the package, and the version is the one being built.
 */
const packageLocation = {
  name: 'package-location',
  setup(b) {
    const versionModule = path.join(root, 'dist/version.js');
    b.onLoad({ filter: /[\\/]dist[\\/]version\.js$/ }, (args) => {
      if (args.path !== versionModule) return undefined;
      return {
        loader: 'js',
        resolveDir: path.dirname(args.path),
        contents: [
          "import { fileURLToPath } from 'node:url';",
          '// src/version.ts as bundled by scripts/bundle-cli.mjs: every chunk is in dist/cli-bundle/.',
          "export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));",
          `export const VERSION = ${JSON.stringify(version)};`,
          '',
        ].join('\n'),
      };
    });
  },
};

/**
 * The precompiled validators require ajv's helpers through a `require` of their own
 * (createRequire), which a bundler cannot follow. In the bundle that `require` is the bundler's,
 * so each helper is bundled as the CommonJS module it is; the lines are blanked, not removed, so
 * that the validator's source map still fits.
 */
const validatorHelpers = {
  name: 'validator-helpers',
  setup(b) {
    const preamble = [
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
    ];
    b.onLoad({ filter: /\.generated\.js$/ }, (args) => {
      let contents = readFileSync(args.path, 'utf8');
      for (const line of preamble) contents = contents.replace(`${line}\n`, '\n');
      if (contents.includes('createRequire'))
        throw new Error(`${args.path}: a createRequire this bundler step does not know`);
      return { loader: 'js', resolveDir: path.dirname(args.path), contents };
    });
  },
};

/**
 * commander requires node:child_process when it loads, for the executable subcommands ldhooks
 * never has, and loading it costs every run a few milliseconds (net, dgram and the rest). In
 * the bundle, commander gets it through a stand-in that loads it at its first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}commander${path.sep}`)
        ? { path: 'child_process', namespace: 'lazy-child-process' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      loader: 'js',
      contents: [
        '// node:child_process, loaded at its first use (scripts/bundle-cli.mjs).',
        'let loaded;',
        "const load = () => (loaded ??= require('node:child_process'));",
        'module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });',
        '',
      ].join('\n'),
    }));
  },
};

/**
 * yaml's ES module build (what its `default` export condition names; Node's condition names its
 * CommonJS build): the bundler leaves out what ldhooks does not use and runs the rest without
 * CommonJS wrappers, some 6 ms of `validate`'s start-up. Both builds are compiled from one
 * source and differ in two places only, neither of which ldhooks reaches: how yaml warns
 * (console.warn, not process.emitWarning), which only YAML.parse() and toJS() of a map with a
 * collection as a key do (ldhooks parses with parseAllDocuments, and src/adapters/fs/yaml-prepare.ts
 * drops such keys, as errors, before toJS); and !!binary, of the YAML 1.1 schema (ldhooks reads
 * the core schema, without known tags). test/package/bundle.test.ts compares the bundled
 * command's output with the library's on every invalid fixture.
 */
const yamlEsModules = {
  name: 'yaml-es-modules',
  setup(b) {
    const dir = path.dirname(createRequire(import.meta.url).resolve('yaml/package.json'));
    const entry = path.join(dir, 'browser', 'index.js');
    if (!existsSync(entry)) throw new Error(`${entry}: yaml's ES module build is not there`);
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/cli/main.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  sourcesContent: true,
  // CommonJS dependencies (commander) require Node's own modules: give the chunks a require.
  banner: {
    js: "import { createRequire as __bundleCreateRequire } from 'node:module';\nconst require = __bundleCreateRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
  plugins: [packageLocation, validatorHelpers, lazyChildProcess, yamlEsModules],
});

// Everything but Node's own modules is in the bundle, and every file sits in the one folder
// that src/version.ts's replacement above counts from.
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (path.dirname(path.resolve(root, file)) !== outdir)
    throw new Error(`${file}: outside ${BUNDLE_DIR}`);
  for (const i of output.imports)
    if (i.external && !builtins.has(i.path))
      throw new Error(`${file} imports ${i.path}, which is not in the bundle`);
}
// A module that finds files from its own place would find them from a chunk's in the bundle:
// only src/version.ts may, and the bundle replaces it (the validators' require is handled above).
for (const input of Object.keys(result.metafile.inputs)) {
  if (!input.startsWith('dist/') || input === 'dist/version.js' || input.endsWith('.generated.js'))
    continue;
  if (readFileSync(path.join(root, input), 'utf8').includes('import.meta.url'))
    throw new Error(
      `${input} uses import.meta.url, which means another place in the bundle: find the package through PACKAGE_ROOT (src/version.ts)`,
    );
}
const main = readFileSync(path.join(outdir, 'main.js'), 'utf8');
if (!main.startsWith('#!/usr/bin/env node\n')) throw new Error('main.js lost its #! line');

/** The package a bundled input belongs to: its folder under the last node_modules/, and its name. */
function packageOf(input) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.replaceAll('\\', '/'));
  if (!m) return undefined;
  const dir = input.replaceAll('\\', '/').slice(0, m.index + m[0].length - 1);
  return { dir: path.resolve(root, dir), name: m[1] };
}

/** The files a package gives its licence and notices in (LICENSE, LICENCE.md, NOTICE...). */
function noticeFiles(dir) {
  return readdirSync(dir)
    .filter((f) => /^(licen[cs]e|copying|notice)(\.(md|txt))?$/i.test(f))
    .sort();
}

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const p = packageOf(input);
  if (p && !packages.has(p.dir)) packages.set(p.dir, p);
}
// esbuild writes a few helpers of its own (module wrappers, export getters) into the chunks.
const esbuildDir = path.resolve(root, 'node_modules/esbuild');
packages.set(esbuildDir, { dir: esbuildDir, name: 'esbuild' });
const sections = [...packages.values()]
  .sort((a, b) => a.name.localeCompare(b.name))
  .map(({ dir, name }) => {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const files = noticeFiles(dir);
    if (files.length === 0) throw new Error(`${name}: no licence file to ship with its code`);
    const texts = files.map((f) => readFileSync(path.join(dir, f), 'utf8').trim());
    return [`${name}@${pkg.version} (${pkg.license})`, '', ...texts].join('\n');
  });
writeFileSync(
  path.join(outdir, LICENSES_FILE),
  `${[
    `The ldhooks command (${BUNDLE_DIR}/) includes code of these packages, under these licences.`,
    ...sections,
  ].join(`\n\n${'-'.repeat(78)}\n\n`)}\n`,
);

const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  `bundled the CLI: ${Object.keys(result.metafile.outputs).length} files (${Math.round(bytes / 1024)} KiB) in ${BUNDLE_DIR}/, ` +
    `with the licences of ${packages.size} packages`,
);
