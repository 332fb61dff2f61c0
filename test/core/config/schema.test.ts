import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/adapters/fs/yaml-source.js';
import { publishedConfigSchema } from '../../../src/core/config/published-schema.js';
import { configSchema } from '../../../src/core/config/schema.js';
import { validateConfig } from '../../../src/core/config/validate.js';
import { ROOT } from '../../support/paths.js';

type Json = Record<string, unknown>;

/** Every schema object below `root`, with its location. */
function* schemas(node: unknown, where = '#'): Generator<[string, Json]> {
  if (!node || typeof node !== 'object') return;
  const s = node as Json;
  yield [where, s];
  for (const key of ['properties', '$defs', 'dependentSchemas'] as const) {
    for (const [k, v] of Object.entries((s[key] as Json | undefined) ?? {}))
      yield* schemas(v, `${where}/${key}/${k}`);
  }
  if (s.items) yield* schemas(s.items, `${where}/items`);
}

describe('the config schema', () => {
  it('is committed as schemas/ldhooks.schema.json, as ldhooks publishes it', async () => {
    const file = await readFile(path.join(ROOT, 'schemas/ldhooks.schema.json'), 'utf8');
    expect(JSON.parse(file)).toEqual(publishedConfigSchema);
  });

  it('is JSON Schema 2020-12 with an $id', () => {
    expect(configSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(configSchema.$id).toMatch(/\S/);
  });

  it('describes every property, for editors to show on hover', () => {
    const missing: string[] = [];
    for (const [where, s] of schemas(configSchema)) {
      for (const [name, prop] of Object.entries((s.properties as Json | undefined) ?? {})) {
        const p = prop as Json;
        if (!p.description && !p.$ref) missing.push(`${where}/properties/${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('forbids unknown keys on every object', () => {
    const open = [...schemas(configSchema)]
      .filter(([, s]) => s.type === 'object' && s.additionalProperties !== false)
      .map(([where]) => where);
    expect(open).toEqual([]);
  });
});

describe('the plan file schema', () => {
  it('is committed as schemas/plan.schema.json, identical to the one ldhooks uses', async () => {
    const { planFileSchema } = await import('../../../src/cli/plan-file-schema.js');
    const file = await readFile(path.join(ROOT, 'schemas/plan.schema.json'), 'utf8');
    expect(JSON.parse(file)).toEqual(planFileSchema);
  });
});

describe.each([
  [
    'the apply report schema',
    'apply.schema.json',
    async () => (await import('../../../src/render/apply-schema.js')).applyJsonSchema,
  ],
  [
    'the validation report schema',
    'validate.schema.json',
    async () => (await import('../../../src/render/validate-schema.js')).validateJsonSchema,
  ],
] as const)('%s', (_what, file, load) => {
  it(`is committed as schemas/${file}, identical to the one ldhooks uses`, async () => {
    const committed = await readFile(path.join(ROOT, 'schemas', file), 'utf8');
    expect(JSON.parse(committed)).toEqual(await load());
  });

  it('is a valid JSON Schema 2020-12 whose every property says what it is', async () => {
    const schema = await load();
    const ajv = new Ajv2020({ strict: true, strictTuples: false });
    expect(() => ajv.compile(schema)).not.toThrow();
    const missing = [...schemas(schema)].flatMap(([where, s]) =>
      Object.entries(
        (s.properties ?? {}) as Record<string, { description?: string; $ref?: string }>,
      )
        .filter(([, p]) => !p.description && !p.$ref)
        .map(([name]) => `${where}/properties/${name}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('owner tags', () => {
  const problems = (yaml: string, env: Record<string, string> = {}) =>
    validateConfig(parseYamlSource('c.yaml', yaml, env).documents).problems.filter(
      (p) => p.severity === 'error',
    );

  it('refuses an owner tag without the managed-by- prefix, with its location and the tag to write', () => {
    const [p, ...rest] = problems('version: 1\nownerTag: team-growth\nwebhooks: []\n');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      code: 'schema.owner-tag',
      file: 'c.yaml',
      line: 2,
      col: 11,
      path: 'ownerTag',
      message:
        'ownerTag "team-growth" must start with "managed-by-": owner tags are how every config recognises the webhooks another config owns',
    });
    expect(p?.remedy).toContain('write ownerTag: managed-by-team-growth');
  });

  it('accepts managed-by- tags, the default included, and refuses a bare prefix or a broken name', () => {
    expect(problems('version: 1\nownerTag: managed-by-team-growth\nwebhooks: []\n')).toEqual([]);
    expect(problems('version: 1\nwebhooks: []\n')).toEqual([]);
    const bare = problems('version: 1\nownerTag: managed-by-\nwebhooks: []\n');
    expect(bare.map((p) => [p.code, p.message])).toEqual([
      ['schema.owner-tag', 'ownerTag "managed-by-" breaks the owner tag rule'],
    ]);
    expect(bare[0]?.remedy).toContain('such as managed-by-team-payments');
    expect(
      problems(`version: 1\nownerTag: managed-by-${'x'.repeat(54)}\nwebhooks: []\n`),
    ).toHaveLength(1);
  });

  it('never shows an owner tag from the environment, nor builds the remedy from it', () => {
    const [p] = problems('version: 1\nownerTag: "${OWNER}"\nwebhooks: []\n', {
      OWNER: 'team-hidden-77',
    });
    expect(p?.code).toBe('schema.owner-tag');
    expect(`${p?.message} ${p?.remedy}`).not.toContain('team-hidden-77');
  });
});

describe('the published config schema, as an editor uses it', () => {
  // A standard validator, on the files as written: no interpolation, no ldhooks code.
  const validator = async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const addFormats = (await import('ajv-formats')).default as unknown as (
      ajv: InstanceType<typeof Ajv2020>,
    ) => void;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = JSON.parse(
      await readFile(path.join(ROOT, 'schemas/ldhooks.schema.json'), 'utf8'),
    );
    return ajv.compile(schema);
  };
  const yamlFiles = async (dir: string): Promise<string[]> => {
    const { readdir } = await import('node:fs/promises');
    const entries = await readdir(dir, { withFileTypes: true });
    const nested = await Promise.all(
      entries.map((e) =>
        e.isDirectory()
          ? yamlFiles(path.join(dir, e.name))
          : Promise.resolve(e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []),
      ),
    );
    return nested.flat();
  };

  it('accepts every example and every config in the README as written, ${NAME} and all', async () => {
    const { parseAllDocuments } = await import('yaml');
    const validate = await validator();
    const files = await yamlFiles(path.join(ROOT, 'examples'));
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const snippets = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .filter((t) => /^version: 1\b/m.test(t));
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(snippets.length).toBeGreaterThanOrEqual(1);
    const texts = [
      ...(await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')] as const))),
      ...snippets.map((t, i) => [`README snippet ${i + 1}`, t] as const),
    ];
    for (const [where, text] of texts) {
      for (const doc of parseAllDocuments(text)) {
        const ok = validate(doc.toJS());
        expect(validate.errors ?? [], where).toEqual([]);
        expect(ok, where).toBe(true);
      }
    }
    // The README's recommended form is among them.
    expect(snippets.join('\n')).toContain('url: ${SLACK_WEBHOOK_URL}');
  });

  it('still refuses what is wrong whatever the variables hold', async () => {
    const validate = await validator();
    const hook = (over: Record<string, unknown>) => ({
      version: 1,
      webhooks: [{ name: 'a', url: 'https://a.example.com', ...over }],
    });
    expect(validate(hook({ url: '${URL}' }))).toBe(true);
    expect(validate(hook({ url: 'not a url' }))).toBe(false);
    expect(validate(hook({ on: '${ON}' }))).toBe(false);
    expect(validate(hook({ colour: 'red' }))).toBe(false);
    expect(validate(hook({ tags: ['${TEAM}', 'ok'] }))).toBe(true);
    expect(validate(hook({ tags: ['has space'] }))).toBe(false);
  });
});
