import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  ajvFor,
  generateValidator,
  VALIDATORS,
  type Validator,
} from '../scripts/build-validators.mjs';
import { type Emulator, startEmulator } from '../src/adapters/emulator/index.js';
import { runCli } from './support/cli.js';
import { ROOT } from './support/paths.js';
import { check } from './support/property.js';

// The validators ldhooks runs are compiled from their schemas when ldhooks is built (start-up
// time): they must be what compiling each schema now gives, and fail with the same errors.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The schema a validator is compiled from, as the sources export it now. */
async function schemaOf(v: Validator): Promise<object> {
  const source = path.join(ROOT, 'src', v.module.replace(/\.js$/, '.ts'));
  return (await import(source))[v.schema];
}

/** The module ldhooks runs, and the same schema compiled now. */
async function both(v: Validator): Promise<[ValidateFunction, ValidateFunction]> {
  const generated = await import(path.join(ROOT, v.out.replace(/\.ts$/, '.js')));
  return [generated.default as ValidateFunction, ajvFor(v).compile(await schemaOf(v))];
}

const outcome = (validate: ValidateFunction, data: unknown) => ({
  valid: validate(data),
  errors: validate.errors ?? null,
});

/** Every path (keys and indexes) inside a JSON value, the value itself first. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [at];
  const keys: (string | number)[] = Array.isArray(value)
    ? value.map((_, i) => i)
    : Object.keys(value);
  return [
    at,
    ...keys.flatMap((k) => paths((value as Record<string, Json>)[k] as Json, [...at, k])),
  ];
}

interface Edit {
  at: number;
  op: 'replace' | 'remove' | 'add-key';
  value: Json;
}

/** A copy of `base` with the edits made: values replaced, keys or items removed, keys added. */
function edited(base: Json, edits: Edit[]): Json {
  let doc = structuredClone(base);
  for (const e of edits) {
    const all = paths(doc);
    const target = all[e.at % all.length] as (string | number)[];
    if (target.length === 0) {
      if (e.op === 'replace') doc = structuredClone(e.value);
      continue;
    }
    const parent = target
      .slice(0, -1)
      .reduce<Json>((n, k) => (n as Record<string, Json>)[k] as Json, doc);
    const key = target[target.length - 1] as string | number;
    const node = (parent as Record<string, Json>)[key] as Json;
    if (e.op === 'replace') (parent as Record<string, Json>)[key] = structuredClone(e.value);
    else if (e.op === 'remove' && Array.isArray(parent)) parent.splice(key as number, 1);
    else if (e.op === 'remove') delete (parent as Record<string, Json>)[key];
    else if (node !== null && typeof node === 'object' && !Array.isArray(node))
      node.extra = structuredClone(e.value);
  }
  return doc;
}

const edits = fc.array(
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom('replace', 'remove', 'add-key'),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('', '*', 'allow', 'deny', 'managed-by-x', 'http://h', 'not a url', 1, true),
    ) as fc.Arbitrary<Json>,
  }),
  { minLength: 1, maxLength: 4 },
);

/** Checks that on every edit of the samples, both validators answer the same. */
function sameOnEdits(generated: ValidateFunction, fresh: ValidateFunction, samples: Json[]) {
  check(
    fc.property(fc.constantFrom(...samples), edits, (sample, e) => {
      const doc = edited(sample, e);
      expect(outcome(generated, doc)).toEqual(outcome(fresh, doc));
    }),
    300,
  );
}

describe('the precompiled validators', () => {
  it.each(VALIDATORS.map((v) => [v.out, v] as const))(
    '%s is what its schema compiles to now (npm run schemas rewrites it)',
    async (out, v) => {
      const committed = await readFile(path.join(ROOT, out), 'utf8');
      expect(committed).toBe(generateValidator(v, await schemaOf(v)));
    },
  );

  it('load no compiler: each requires only ajv runtime helpers and formats', async () => {
    for (const v of VALIDATORS) {
      const text = await readFile(path.join(ROOT, v.out), 'utf8');
      const imports = [...text.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
      expect(
        imports.filter((spec) => spec !== 'node:module' && spec !== v.formatsFrom?.module),
      ).toEqual([]);
      for (const [, spec] of text.matchAll(/require\("([^"]+)"\)/g))
        expect(spec).toMatch(/^ajv\/dist\/runtime\/[a-z0-9]+$|^ajv-formats\/dist\/formats$/i);
    }
  });

  describe('config', () => {
    const v = VALIDATORS.find((x) => x.schema === 'configSchema') as Validator;
    let samples: Json[];
    beforeAll(async () => {
      samples = [];
      for (const dir of ['examples', 'test/fixtures/invalid']) {
        const files = (await readdir(path.join(ROOT, dir), { recursive: true })).filter((f) =>
          /\.ya?ml$/.test(f),
        );
        for (const f of files.sort()) {
          const text = await readFile(path.join(ROOT, dir, f), 'utf8');
          for (const doc of parseAllDocuments(text)) {
            if ('errors' in doc && doc.errors.length > 0) continue;
            try {
              samples.push(JSON.parse(JSON.stringify(doc.toJS())) as Json);
            } catch {
              // An alias bomb, or an alias inside itself: the loader refuses these first.
            }
          }
        }
      }
    });

    it('fails every example and fixture with the same errors as the schema compiled now', async () => {
      const [generated, fresh] = await both(v);
      expect(samples.length).toBeGreaterThan(40);
      const invalid = samples.filter((s) => !fresh(s)).length;
      expect(invalid).toBeGreaterThan(10);
      for (const s of samples) expect(outcome(generated, s)).toEqual(outcome(fresh, s));
    });

    it('answers every edit of them as the schema compiled now does', async () => {
      const [generated, fresh] = await both(v);
      sameOnEdits(generated, fresh, samples);
    });
  });

  describe('saved plan section', () => {
    const v = VALIDATORS.find((x) => x.schema === 'savedSectionSchema') as Validator;
    let emulator: Emulator;
    let section: Json;
    beforeAll(async () => {
      emulator = await startEmulator();
      const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-precompiled-'));
      await writeFile(
        path.join(dir, 'hooks.yaml'),
        'version: 1\nwebhooks:\n  - name: a\n    url: https://a.example.com/${P}\n    secret: ${S}\n    tags: [x]\n    statements:\n      - { effect: allow, resources: ["proj/*"], actions: ["*"] }\n  - name: b\n    url: https://b.example.com\n',
      );
      const env = {
        LD_BASE_URI: emulator.url,
        LD_ACCESS_TOKEN: emulator.token,
        P: 'path-8c1',
        S: 'secret-4f2a',
      };
      const r = await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      section = JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8')).saved;
    });
    afterAll(() => emulator.close());

    it('accepts a saved plan and answers every edit of it as the schema compiled now does', async () => {
      const [generated, fresh] = await both(v);
      expect(outcome(generated, section)).toEqual({ valid: true, errors: null });
      sameOnEdits(generated, fresh, [section]);
    });
  });
});
