import { describe, expect, it } from 'vitest';
import { interpolate } from '../../../src/core/config/interpolate.js';

const env = { HOST: 'hooks.example.com', TOKEN: 'abc', EMPTY: '' };

describe('interpolate', () => {
  it.each([
    ['plain text', 'plain text', false],
    ['https://${HOST}/x', 'https://hooks.example.com/x', true],
    ['${HOST}${TOKEN}', 'hooks.example.comabc', true],
    ['cost: $5', 'cost: $5', false],
    ['$${HOST}', '${HOST}', false],
    ['$$${HOST}', '$${HOST}', false],
    ['a$', 'a$', false],
    ['${EMPTY}', '', true],
  ])('%s -> %s', (text, value, fromEnv) => {
    const result = interpolate(text, env);
    expect(result).toEqual({ value, fromEnv, issues: [] });
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
