import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { ROOT } from './paths.js';

/**
 * Validators of the schemas ldhooks publishes, read from schemas/ as a user's tool reads them
 * (not from the source they are generated from).
 */
const published = (name: string) =>
  JSON.parse(readFileSync(path.join(ROOT, 'schemas', name), 'utf8')) as object;
const ajv = new Ajv2020({ strict: false, allErrors: true });
export const validatePlan: ValidateFunction = ajv.compile(published('plan.schema.json'));
export const validateApply: ValidateFunction = ajv.compile(published('apply.schema.json'));
export const validateValidate: ValidateFunction = ajv.compile(published('validate.schema.json'));

/** Asserts that the document is valid, showing ajv's errors when it is not. */
export function expectValid(validate: ValidateFunction, doc: unknown, what = 'document'): void {
  const ok = validate(doc);
  expect(validate.errors ?? [], what).toEqual([]);
  expect(ok, what).toBe(true);
}
