import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './paths.js';

/**
 * Compares with the committed file in test/render/golden. A missing file fails: a test never
 * writes what it then reads. UPDATE_GOLDEN=1 rewrites the files, for a person to review in the
 * diff.
 */
export function golden(name: string, actual: string): void {
  const file = path.join(ROOT, 'test/render/golden', name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  expect(
    existsSync(file),
    `${path.relative(ROOT, file)} is missing: run UPDATE_GOLDEN=1 npx vitest run test/render and review it`,
  ).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
