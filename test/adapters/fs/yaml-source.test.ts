import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/adapters/fs/yaml-source.js';
import { check } from '../../support/property.js';

/** The pointer of every value that holds no other value. */
function leaves(value: unknown, pointer = ''): string[] {
  if (value === null || typeof value !== 'object') return [pointer];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, `${pointer}/${k}`));
}

const TEXT = `version: 1
webhooks:
  - name: a
    url: \${URL}
    tags: [x, "y"]
---
version: 1
webhooks: []
`;

describe('parseYamlSource', () => {
  const { documents, problems } = parseYamlSource('f.yaml', TEXT, {
    URL: 'https://hidden.example.com',
  });

  it('reads every document of the file', () => {
    expect(problems).toEqual([]);
    expect(documents.map((d) => [d.index, d.value])).toEqual([
      [
        0,
        {
          version: 1,
          webhooks: [{ name: 'a', url: 'https://hidden.example.com', tags: ['x', 'y'] }],
        },
      ],
      [1, { version: 1, webhooks: [] }],
    ]);
  });

  it('remembers the line and column of every value and key', () => {
    const doc = documents[0];
    expect(doc?.locate('/webhooks/0/name')).toEqual({ line: 3, col: 11 });
    expect(doc?.locate('/webhooks/0/name', true)).toEqual({ line: 3, col: 5 });
    expect(doc?.locate('/webhooks/0')).toEqual({ line: 3, col: 5 });
    expect(doc?.locate('/webhooks/0/tags/1')).toEqual({ line: 5, col: 15 });
    expect(documents[1]?.locate('/version')).toEqual({ line: 7, col: 10 });
  });

  it('marks values that came from the environment as sensitive', () => {
    const doc = documents[0];
    expect(leaves(doc?.value).filter((p) => doc?.isSensitive(p))).toEqual(['/webhooks/0/url']);
    expect(documents[1]?.isSensitive('')).toBe(false);
  });

  it('points an unset variable at the ${ inside a quoted string', () => {
    const result = parseYamlSource('g.yaml', 'a: "x ${NOPE}"\n', {});
    expect(result.problems.map((p) => [p.line, p.col, p.path, p.code])).toEqual([
      [1, 7, 'a', 'env.unset'],
    ]);
  });

  it('does not let a key named __proto__ reach the prototype', () => {
    const result = parseYamlSource('p.yaml', '__proto__: {polluted: true}\n', {});
    const value = result.documents[0]?.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('skips a stray empty document beside real ones', () => {
    const result = parseYamlSource('s.yaml', 'version: 1\nwebhooks: []\n---\n', {});
    expect(result.problems).toEqual([]);
    expect(result.documents).toHaveLength(1);
  });
});

describe('a bare * (an alias with no name)', () => {
  const report = (text: string) =>
    parseYamlSource('f.yaml', text, {}).problems.map((p) => [
      p.line,
      p.col,
      p.path,
      p.message,
      p.remedy,
    ]);
  const MESSAGE =
    'YAML syntax: a bare * is a YAML alias (a reference to an &anchor), not the text "*"';

  it.each([
    [
      'actions: [*]\n',
      1,
      11,
      'actions[0]',
      'quote the *, keeping the other items: actions: ["*"] for every action',
    ],
    [
      'actions: [updateOn, *]  # all\n',
      1,
      21,
      'actions[1]',
      'quote the *, keeping the other items: actions: ["*"] for every action',
    ],
    [
      'resources: [ * , "proj/*"]\n',
      1,
      14,
      'resources[0]',
      'quote the *, keeping the other items: resources: ["*"] for every resource',
    ],
    [
      'notActions: *\n',
      1,
      13,
      'notActions',
      'quote the *, keeping the other items: notActions: ["*"] for every action',
    ],
    [
      's:\n  - effect: allow\n    actions:\n      # every one\n      - *\n',
      5,
      9,
      's[0].actions[0]',
      'quote the *, keeping the other items: actions: ["*"] for every action',
    ],
    [
      'webhooks:\n  - statements:\n      - { effect: allow, resources: [*], actions: ["*"] }\n',
      3,
      38,
      'webhooks[0].statements[0].resources[0]',
      'quote the *, keeping the other items: resources: ["*"] for every resource',
    ],
  ])('%j says where it is and to quote it', (text, line, col, path, remedy) => {
    expect(report(text)).toEqual([[line, col, path, MESSAGE, remedy]]);
  });

  it('says where a repeated key is', () => {
    expect(report('webhooks:\n  - name: a\n    url: x\n    url: y\n')).toEqual([
      [
        4,
        5,
        'webhooks[0].url',
        'YAML syntax: Map keys must be unique',
        'remove or rename the repeated key',
      ],
    ]);
  });

  it('leaves an alias to a missing anchor to its own message', () => {
    expect(report('actions: [*every]\n').map(([, , , message]) => message)).toEqual([
      'alias *every refers to no anchor',
    ]);
  });
});

describe('a broken document is a problem with a place, never a crash', () => {
  it('a key written without its colon', () => {
    const text = 'version: 1\nwebhooks:\n  - name: a\n    url: https://x.example.com\n    on\n';
    const { documents, problems } = parseYamlSource('c.yaml', text, {});
    expect(documents).toEqual([]);
    expect(problems).toEqual([
      {
        severity: 'error',
        code: 'yaml.missing-char',
        file: 'c.yaml',
        line: 5,
        col: 5,
        path: 'webhooks[0].on',
        message: 'YAML syntax: Implicit map keys need to be followed by map values',
        remedy: 'check the indentation and the brackets or quotes around this line',
      },
    ]);
  });

  it('any edit of an example: a character removed, doubled or replaced', () => {
    const examples = ['examples/audit-sink.yaml', 'examples/slack-prod-flag-changes.yaml'].map(
      (f) => readFileSync(f, 'utf8'),
    );
    const edits = ':-[]{}#&*!|>\'" \n\t,?%@`';
    check(
      fc.property(
        fc.constantFrom(...examples),
        fc.array(
          fc.record({
            at: fc.nat(),
            kind: fc.constantFrom('remove', 'double', 'replace'),
            by: fc.constantFrom(...edits),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (original, changes) => {
          let text = original;
          for (const { at, kind, by } of changes) {
            const i = at % Math.max(1, text.length);
            if (kind === 'remove') text = text.slice(0, i) + text.slice(i + 1);
            else if (kind === 'double') text = text.slice(0, i) + text.charAt(i) + text.slice(i);
            else text = text.slice(0, i) + by + text.slice(i + 1);
          }
          const { problems } = parseYamlSource('e.yaml', text, {});
          for (const p of problems) {
            expect(p.line).toBeGreaterThanOrEqual(1);
            expect(p.remedy).not.toBe('');
          }
        },
      ),
      2000,
    );
  });
});
