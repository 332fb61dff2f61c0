import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/adapters/fs/yaml-source.js';
import type { SourceDocument } from '../../../src/core/source.js';

const ENV = { HOST: 'hooks.example.com', TOKEN: 'T0K3N' };

/** The only document of `text`, failing the test if the loader reported anything. */
function load(text: string): SourceDocument {
  const { documents, problems } = parseYamlSource('t.yaml', text, ENV);
  expect(problems).toEqual([]);
  expect(documents).toHaveLength(1);
  return documents[0] as SourceDocument;
}

const where = (text: string) =>
  parseYamlSource('t.yaml', text, ENV).problems.map(
    (p) => `${p.line}:${p.col} ${p.path} ${p.code}: ${p.message}`,
  );

describe('SourceDocument.locate', () => {
  const doc = load(
    [
      'version: 1', //                               line 1
      'webhooks:', //                                line 2
      '  - name: a', //                              line 3
      '    url:   https://a.example.com', //         line 4
      '    secret:', //                              line 5
      '', //                                         line 6
    ].join('\n'),
  );

  it('finds a value, and its key when the key is preferred', () => {
    expect(doc.locate('/webhooks/0/url')).toEqual({ line: 4, col: 12 });
    expect(doc.locate('/webhooks/0/url', true)).toEqual({ line: 4, col: 5 });
  });

  it('finds a sequence item, which has no key, at its value either way', () => {
    expect(doc.locate('/webhooks/0', true)).toEqual({ line: 3, col: 5 });
  });

  it('falls back to the nearest ancestor for what is not there, honouring preferKey there too', () => {
    expect(doc.locate('/webhooks/0/tags')).toEqual({ line: 3, col: 5 });
    expect(doc.locate('/webhooks/0/url/deeper')).toEqual({ line: 4, col: 12 });
    expect(doc.locate('/webhooks/0/url/deeper', true)).toEqual({ line: 4, col: 5 });
    expect(doc.locate('/webhooks/7/name')).toEqual({ line: 3, col: 3 });
    expect(doc.locate('/webhooks/00')).toEqual({ line: 3, col: 3 });
  });

  it('locates the root at its first value, and an empty value just after its key', () => {
    expect(doc.locate('')).toEqual({ line: 1, col: 1 });
    expect(doc.locate('/webhooks/0/secret')).toEqual({ line: 5, col: 12 });
  });

  it('unescapes ~1 and ~0 in pointer segments', () => {
    const d = load('"a/b": 1\n"c~d": 2\n');
    expect(d.locate('/a~1b')).toEqual({ line: 1, col: 8 });
    expect(d.locate('/c~0d')).toEqual({ line: 2, col: 8 });
  });
});

describe('SourceDocument.locate through aliases', () => {
  const doc = load(
    [
      'base: &base', //                  line 1
      '  url: https://a.example.com', // line 2
      '  tags: [x, y]', //               line 3
      'hook: *base', //                  line 4
      'list: [*base]', //                line 5
      '',
    ].join('\n'),
  );

  it('locates the value of an alias at the alias itself', () => {
    expect(doc.locate('/hook')).toEqual({ line: 4, col: 7 });
    expect(doc.locate('/hook', true)).toEqual({ line: 4, col: 1 });
    expect(doc.locate('/list/0')).toEqual({ line: 5, col: 8 });
  });

  it("locates what lies under an alias at the anchor's own nodes", () => {
    expect(doc.locate('/hook/url')).toEqual({ line: 2, col: 8 });
    expect(doc.locate('/hook/url', true)).toEqual({ line: 2, col: 3 });
    expect(doc.locate('/list/0/tags/1')).toEqual({ line: 3, col: 13 });
  });

  it('gives each alias the whole value of its anchor', () => {
    const base = { url: 'https://a.example.com', tags: ['x', 'y'] };
    expect(doc.value).toEqual({ base, hook: base, list: [base] });
  });
});

describe('SourceDocument provenance', () => {
  const doc = load(
    [
      'webhooks:',
      '  - name: a',
      '    url: https://${HOST}/x',
      '    secret: &s "${TOKEN}"',
      '    tags: [plain, "$${HOST}"]',
      '  - name: b',
      '    url: https://b.example.com',
      '    secret: *s',
      '',
    ].join('\n'),
  );

  it('marks a value from the environment, and every value that holds one', () => {
    expect(doc.isSensitive('/webhooks/0/url')).toBe(true);
    expect(doc.isSensitive('/webhooks/0')).toBe(true);
    expect(doc.isSensitive('')).toBe(true);
    expect(doc.isSensitive('/webhooks/0/name')).toBe(false);
    expect(doc.isSensitive('/webhooks/0/tags')).toBe(false);
  });

  it('marks a value reached through an alias, and its parent', () => {
    expect(doc.isSensitive('/webhooks/1/secret')).toBe(true);
    expect(doc.isSensitive('/webhooks/1')).toBe(true);
    expect(doc.isSensitive('/webhooks/1/url')).toBe(false);
  });

  it('says nothing is sensitive about a path that is not there', () => {
    expect(doc.isSensitive('/webhooks/2')).toBe(false);
  });

  it('keeps the text as written of a value from the environment, and only of such a value', () => {
    expect(doc.templateOf('/webhooks/0/url')).toBe('https://${HOST}/x');
    expect(doc.templateOf('/webhooks/1/secret')).toBe('${TOKEN}');
    expect(doc.templateOf('/webhooks/0/tags/1')).toBeUndefined();
    expect(doc.templateOf('/webhooks/0/name')).toBeUndefined();
    expect(doc.templateOf('/webhooks/0')).toBeUndefined();
  });

  it('interpolates the value, an escaped $${ left as a literal ${', () => {
    const hook = (doc.value as { webhooks: Record<string, unknown>[] }).webhooks[0];
    expect(hook).toEqual({
      name: 'a',
      url: 'https://hooks.example.com/x',
      secret: 'T0K3N',
      tags: ['plain', '${HOST}'],
    });
  });
});

describe('SourceDocument.isUnresolved', () => {
  const { documents, problems } = parseYamlSource(
    't.yaml',
    'a: ${NOPE}\nb: ok ${HOST}\nc: *nowhere\nd: [x]\n',
    ENV,
  );
  const doc = documents[0] as SourceDocument;

  it('marks a value whose variable is unset, and an alias to no anchor, both already reported', () => {
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['a', 'env.unset'],
      ['c', 'yaml.unknown-alias'],
    ]);
    expect(doc.isUnresolved('/a')).toBe(true);
    expect(doc.isUnresolved('/c')).toBe(true);
    expect(doc.value).toEqual({ a: '', b: 'ok hooks.example.com', c: null, d: ['x'] });
  });

  it('does not mark resolved values, nor the parent of an unresolved one', () => {
    expect(doc.isUnresolved('/b')).toBe(false);
    expect(doc.isUnresolved('/d/0')).toBe(false);
    expect(doc.isUnresolved('')).toBe(false);
  });
});

describe('SourceDocument.stringStart', () => {
  const doc = load(
    [
      'plain: proj/a', //                   line 1
      'double: "proj/b"', //                line 2
      "single: 'proj/c'", //                line 3
      "quoted: 'it''s'", //                 line 4
      'escaped: "a\\u0062"', //             line 5
      'env: "x${HOST}"', //                 line 6
      'folded: >-', //                      line 7
      '  one', //                           line 8
      'number: 12', //                      line 9
      'anchor: &x "proj/d"', //             line 10
      'alias: *x', //                       line 11
      '',
    ].join('\n'),
  );

  it('points at the first character inside the quotes of a verbatim string', () => {
    expect(doc.stringStart('/plain')).toEqual({ line: 1, col: 8 });
    expect(doc.stringStart('/double')).toEqual({ line: 2, col: 10 });
    expect(doc.stringStart('/single')).toEqual({ line: 3, col: 10 });
  });

  it("points at the anchor's characters for a string reached through an alias", () => {
    expect(doc.stringStart('/alias')).toEqual({ line: 10, col: 13 });
    expect(doc.locate('/alias')).toEqual({ line: 11, col: 8 });
  });

  it('has no start for a string not spelt verbatim on one line, from the environment, or not a string', () => {
    expect(doc.stringStart('/quoted')).toBeUndefined();
    expect(doc.stringStart('/escaped')).toBeUndefined();
    expect(doc.stringStart('/env')).toBeUndefined();
    expect(doc.stringStart('/folded')).toBeUndefined();
    expect(doc.stringStart('/number')).toBeUndefined();
    expect(doc.stringStart('/missing')).toBeUndefined();
  });
});

describe('keys named like Object.prototype members', () => {
  it('makes __proto__ a plain own property, at any depth and through an alias', () => {
    const doc = load('a: &a {__proto__: {polluted: true}}\nb: [*a]\n"__proto__": *a\n');
    const value = doc.value as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['a', 'b', '__proto__']);
    expect(Object.getPrototypeOf(value.a)).toBe(Object.prototype);
    expect(Object.hasOwn(value.a as object, '__proto__')).toBe(true);
    expect(value.a?.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(doc.locate('/__proto__/__proto__/polluted')).toEqual({ line: 1, col: 30 });
  });

  it('keeps constructor and toString as own data', () => {
    const value = load('constructor: 1\ntoString: x\n').value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['constructor', 'toString']);
    expect(value.toString).toBe('x');
  });
});

describe('limits and refusals', () => {
  it('refuses an alias to the value it sits in, at the alias, and keeps no document', () => {
    const text = 'version: 1\nhooks: &h\n  - name: a\n    again: *h\n';
    expect(where(text)).toEqual([
      '4:12 hooks[0].again yaml.recursive-alias: alias *h refers to a value that contains it',
    ]);
    expect(parseYamlSource('t.yaml', text, ENV).documents).toEqual([]);
  });

  it('refuses a mapping that contains an alias to itself', () => {
    expect(where('a: &a {b: {c: *a}}\n')).toEqual([
      '1:15 a.b.c yaml.recursive-alias: alias *a refers to a value that contains it',
    ]);
  });

  it('accepts an anchor reused more often than yaml itself would allow by default', () => {
    const uses = Array.from({ length: 300 }, (_, i) => `h${i}: *t`).join('\n');
    const doc = load(`t: &t [a, b, c]\n${uses}\n`);
    expect((doc.value as Record<string, unknown>).h299).toEqual(['a', 'b', 'c']);
  });

  it('refuses nesting made too deep by an alias, at the alias', () => {
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    const text = `a: &a ${deep}\nb: ${'['.repeat(30)}*a${']'.repeat(30)}\n`;
    expect(where(text)).toEqual([
      '2:34  yaml.too-deep: values are nested more than 64 levels deep',
    ]);
  });

  it('refuses a mapping key that is not a plain scalar and leaves the pair out', () => {
    const { documents, problems } = parseYamlSource('t.yaml', '? [a, b]\n: 1\nc: 2\n', ENV);
    expect(problems.map((p) => `${p.line}:${p.col} ${p.code}`)).toEqual(['1:3 yaml.complex-key']);
    expect(documents[0]?.value).toEqual({ c: 2 });
  });

  it('reports a problem inside an aliased string once, where it is written', () => {
    expect(where('a: &a "${NOPE}"\nb: *a\nc: [*a]\n')).toEqual([
      '1:8 a env.unset: environment variable NOPE is not set',
    ]);
  });

  it('reads YAML 1.1 and explicit types as plain JSON-shaped data', () => {
    const doc = load(
      '%YAML 1.1\n---\non: yes\nat: 2001-12-14\ns: !!set {a}\no: !!omap [a: 1]\nb: !!binary aGk=\n',
    );
    expect(doc.value).toEqual({
      on: 'yes',
      at: '2001-12-14',
      s: { a: null },
      o: [{ a: 1 }],
      b: 'aGk=',
    });
  });
});

describe('a released document', () => {
  // A second document, so that the one parsed again is found by its index; a removed key, an
  // alias to no anchor and an unset variable, so that parsing again must prepare again.
  const TEXT = [
    'version: 1',
    '---',
    'webhooks:',
    '  - name: &n a',
    '    url: https://${HOST}/x',
    '    ? [complex]',
    '    : 1',
    '    secret: &s "${TOKEN}"',
    '    tags: [plain, "x${UNSET}", *nowhere]',
    '  - name: *n',
    '    secret: *s',
    '    statements: [{ effect: allow, resources: ["proj/${HOST}"] }]',
    '',
  ].join('\n');
  const POINTERS = [
    '',
    '/webhooks',
    '/webhooks/0',
    '/webhooks/0/name',
    '/webhooks/0/url',
    '/webhooks/0/secret',
    '/webhooks/0/tags/1',
    '/webhooks/0/tags/2',
    '/webhooks/1/name',
    '/webhooks/1/secret',
    '/webhooks/1/statements/0/resources/0',
    '/webhooks/9',
  ];
  const ask = (doc: SourceDocument) =>
    POINTERS.map((p) => [
      p,
      doc.locate(p),
      doc.locate(p, true),
      doc.isSensitive(p),
      doc.templateOf(p),
      doc.isUnresolved(p),
      doc.stringStart(p),
    ]);

  it('answers every question as before, from its text parsed again', () => {
    for (const missing of [undefined, new Set<string>()]) {
      const { documents } = parseYamlSource('t.yaml', TEXT, ENV, missing);
      const doc = documents[1] as (typeof documents)[number];
      const before = ask(doc);
      expect(before.filter(([, , , sensitive]) => sensitive)).not.toEqual([]);
      expect(before.filter(([, , , , , unresolved]) => unresolved)).not.toEqual([]);
      doc.release();
      expect(ask(doc)).toEqual(before);
      expect(doc.value).toEqual(documents[1]?.value);
    }
  });
});
