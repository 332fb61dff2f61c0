// Vitest's default of 5 s a test stands for everything that runs in process on virtual time:
// those tests take milliseconds. The exceptions below are slow by nature, not by waiting, and
// each is given room for a machine running other work on every core.

/**
 * A test that starts real processes waits for Node to start each time: about 0.5 s on an idle
 * machine, several seconds on a loaded one.
 */
export const SPAWN_TIMEOUT_MS = 60_000;
