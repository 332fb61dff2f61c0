/**
 * The values test/fixtures/policy/from-environment.yaml reads: each one a lint message would
 * quote, point into by column, or suggest from, if it showed them.
 */
export const LINT_ENV = {
  PROJ: 'proj-secret-4a1b',
  KIND: 'flagz-secret',
  BROKEN: 'env-broken-5c',
  ACTION: 'updateOnSecret7',
  LEAF: 'segment',
  KNOWN_ACTION: 'updateOn',
};

/** The values that appear nowhere else, so that no output may hold them. */
export const UNIQUE_VALUES = [
  'proj-secret-4a1b',
  'flagz-secret',
  'env-broken-5c',
  'updateOnSecret7',
];
