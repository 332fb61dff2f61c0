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
    // Tests run in process on virtual time and take milliseconds on an idle machine, but CI runs on
    // a 2-core machine that may be busy: a few heavier ones (a property run, a long list) took over
    // 5 s at a load average of 14. The timeouts only catch a hang, so they are far from any real run.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
