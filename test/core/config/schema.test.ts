import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/core/config/schema.js';
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
  it('is committed as schemas/ldhooks.schema.json, identical to the one ldhooks uses', async () => {
    const file = await readFile(path.join(ROOT, 'schemas/ldhooks.schema.json'), 'utf8');
    expect(JSON.parse(file)).toEqual(configSchema);
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
