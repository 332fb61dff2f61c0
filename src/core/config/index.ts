export { normalizeDocument } from './normalize.js';
export { configSchema, DEFAULT_OWNER_TAG, TAG_PATTERN } from './schema.js';
export { checkSchema } from './schema-check.js';
export { canonicalStatement, canonicalStatements } from './statements.js';
export { type ValidatedConfig, validateConfig } from './validate.js';
