import { expect } from 'vitest';
import type { CliResult } from './cli.js';

// One validate run with problems in two files, checked both in process and as a real process.
export const SEVERAL_FILES = [
  'validate',
  'test/fixtures/invalid/secret-with-sign-false.yaml',
  'test/fixtures/invalid/bad-tag.yaml',
];
export const SEVERAL_FILES_ENV = { LDHOOKS_TEST_SECRET: 'fixture-secret-9d1c' };

export function expectSeveralFilesReport(r: CliResult) {
  expect(r.code).toBe(1);
  expect(r.stderr.split('\n').filter(Boolean)).toEqual([
    `test/fixtures/invalid/bad-tag.yaml:3:11  webhooks[0].name  duplicate webhook name "a", also declared at test/fixtures/invalid/secret-with-sign-false.yaml:3:11  (a name is the webhook's identity and must be unique across all files: rename or remove one)`,
    `test/fixtures/invalid/bad-tag.yaml:5:16  webhooks[0].tags[1]  tag "has space" breaks LaunchDarkly's tag rule  (use 1 to 64 letters, digits, ".", "_" or "-")`,
    `test/fixtures/invalid/secret-with-sign-false.yaml:3:11  webhooks[0].name  duplicate webhook name "a", also declared at test/fixtures/invalid/bad-tag.yaml:3:11  (a name is the webhook's identity and must be unique across all files: rename or remove one)`,
    'test/fixtures/invalid/secret-with-sign-false.yaml:6:5  webhooks[0].sign  webhook declares a secret but sets sign: false  (remove sign: false (a secret implies signing) or remove the secret)',
    '2 files: 4 errors; the configuration is not valid',
  ]);
  expect(r.stdout + r.stderr).not.toContain('fixture-secret-9d1c');
}
