import fc from 'fast-check';

/** The seed of every property: fixed, unless FC_SEED says otherwise. */
function seed(): number {
  const given = process.env.FC_SEED;
  const value = given === 'random' ? Date.now() : given ? Number(given) : 20_240_415;
  if (!Number.isInteger(value))
    throw new Error(`FC_SEED must be an integer or random, not ${given}`);
  return value;
}

/**
 * Runs a property with a fixed seed, so that every run of the suite checks the same cases and a
 * failure reproduces. FC_SEED=<n> explores other cases (FC_SEED=random for a fresh one); a
 * failure prints its seed and path either way.
 */
export function check<T>(property: fc.IProperty<T>, numRuns = 500): void {
  fc.assert(property, { numRuns, seed: seed() });
}

/** {@link check} for an asynchronous property (`fc.asyncProperty`): await it. */
export async function checkAsync<T>(property: fc.IAsyncProperty<T>, numRuns = 100): Promise<void> {
  await fc.assert(property, { numRuns, seed: seed() });
}
