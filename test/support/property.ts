import fc from 'fast-check';

/**
 * Runs a property with a fixed seed, so that every run of the suite checks the same cases and a
 * failure reproduces. FC_SEED=<n> explores other cases (FC_SEED=random for a fresh one); a
 * failure prints its seed and path either way.
 */
export function check<T>(property: fc.IProperty<T>, numRuns = 500): void {
  const given = process.env.FC_SEED;
  const seed = given === 'random' ? Date.now() : given ? Number(given) : 20_240_415;
  if (!Number.isInteger(seed))
    throw new Error(`FC_SEED must be an integer or random, not ${given}`);
  fc.assert(property, { numRuns, seed });
}
