import type { Ajv2020 } from 'ajv/dist/2020.js';

/** One precompiled validator (scripts/build-validators.mjs). */
export interface Validator {
  module: string;
  schema: string;
  options: Record<string, unknown>;
  formats: string[];
  /** Where the generated module imports its formats from, instead of ajv-formats. */
  formatsFrom?: { module: string; name: string };
  out: string;
}
export const VALIDATORS: Validator[];
export function ajvFor(validator: Validator, code?: Record<string, unknown>): Ajv2020;
export function generateValidator(validator: Validator, schema: object): string;
