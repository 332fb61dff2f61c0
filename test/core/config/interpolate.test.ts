import { describe, expect, it } from 'vitest';
import { interpolate } from '../../../src/core/config/interpolate.js';

const env = { HOST: 'hooks.example.com', TOKEN: 'abc', EMPTY: '', BLANK: ' \t' };

describe('interpolate', () => {
  it.each([
    ['plain text', 'plain text', []],
    ['https://${HOST}/x', 'https://hooks.example.com/x', [['HOST', 'set']]],
    [
      '${HOST}${TOKEN}${HOST}',
      'hooks.example.comabchooks.example.com',
      [
        ['HOST', 'set'],
        ['TOKEN', 'set'],
      ],
    ],
    ['cost: $5', 'cost: $5', []],
    ['$${HOST}', '${HOST}', []],
    ['$$${HOST}', '$${HOST}', []],
    ['a$', 'a$', []],
    ['${EMPTY}', '', [['EMPTY', 'empty']]],
    ['x${BLANK}y', 'x \ty', [['BLANK', 'blank']]],
  ])('%s -> %s, reading %j', (text, value, read) => {
    const result = interpolate(text, env);
    const variables = read.map(([name, state]) => ({ name, state }));
    expect(result).toEqual({ value, fromEnv: read.length > 0, variables, issues: [] });
  });

  it('reports an unset variable with its offset and a remedy', () => {
    const result = interpolate('https://${MISSING}/x', env);
    expect(result.issues).toEqual([
      {
        offset: 8,
        code: 'env.unset',
        name: 'MISSING',
        message: 'environment variable MISSING is not set',
        remedy: 'set MISSING in the environment, or write $${MISSING} for a literal',
      },
    ]);
  });

  it.each([
    ['${1X}', 0, '"${1X}"'],
    ['x ${A-B}', 2, '"${A-B}"'],
    ['${}', 0, '"${}"'],
    ['${OPEN', 0, '"${OPEN"'],
  ])('reports the malformed reference %s', (text, offset, shown) => {
    const [issue] = interpolate(text, env).issues;
    expect(issue?.code).toBe('env.malformed');
    expect(issue?.offset).toBe(offset);
    expect(issue?.message).toBe(`malformed variable reference ${shown}`);
  });
});
