import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A test that asserts nothing cannot fail: it fails instead.
    expect: { requireAssertions: true },
    // Vitest keeps a core for itself by default, which on a 2-core machine means one test file
    // at a time; its own process does little here, so every core runs test files.
    maxWorkers: availableParallelism(),
    // Vitest's default timeouts (5 s a test, 10 s a hook) stand: every test runs in process on
    // virtual time and takes milliseconds. The few that start real processes set their own.
  },
});
