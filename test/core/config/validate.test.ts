import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/adapters/fs/yaml-source.js';
import { validateConfig } from '../../../src/core/config/validate.js';

const codes = (yaml: string) =>
  validateConfig(parseYamlSource('c.yaml', yaml, {}).documents).problems.map((p) => [
    p.line,
    p.code,
  ]);

const SECRET_WITHOUT_SIGN = `  - name: a
    url: https://a.example.com
    secret: s3cret-in-file
    sign: false
`;

describe('validateConfig collects every problem', () => {
  it('checks the webhooks of a document whose only other problem is an unknown key or the version', () => {
    expect(codes(`version: 2\nowner: me\nwebhooks:\n${SECRET_WITHOUT_SIGN}`)).toEqual([
      [1, 'config.version'],
      [2, 'schema.unknown-key'],
      [6, 'config.literal-secret'],
      [7, 'config.secret-without-sign'],
    ]);
  });

  it('checks a well-formed webhook beside one that has no url', () => {
    expect(codes(`version: 1\nwebhooks:\n  - name: b\n${SECRET_WITHOUT_SIGN}`)).toEqual([
      [3, 'schema.missing-key'],
      [6, 'config.literal-secret'],
      [7, 'config.secret-without-sign'],
    ]);
  });

  it('checks no webhook when the defaults they merge are broken', () => {
    expect(
      codes(`version: 1\ndefaults: { sign: "no" }\nwebhooks:\n${SECRET_WITHOUT_SIGN}`),
    ).toEqual([[2, 'schema.type']]);
  });
});
