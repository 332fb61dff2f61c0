import path from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './paths.js';
import type { RunResult } from './run.js';

/** The README's library example, run as a user runs it: `node plan-and-apply.mjs webhooks/`. */
export const EXAMPLE = path.join(ROOT, 'examples/library/plan-and-apply.mjs');

/** A config for the example: one webhook signed with a secret from the environment, one not. */
export const EXAMPLE_CONFIG = `version: 1
webhooks:
  - name: slack-prod-flag-changes
    url: \${SLACK_WEBHOOK_URL}
    secret: \${LD_HOOK_SECRET}
    statements:
      - { effect: allow, resources: ["proj/\${PROJ}:env/production:flag/*"], actions: ["*"] }
  - name: audit
    url: https://audit.example.com/in
`;

export const EXAMPLE_ENV = {
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/example-4c1f',
  LD_HOOK_SECRET: 'example-secret-9e2b71',
  PROJ: 'example-project-55d0',
};

/** What the example prints for EXAMPLE_CONFIG against an empty emulator. */
export function expectExampleOutput(r: RunResult): void {
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain('+ slack-prod-flag-changes will be created');
  expect(r.stdout).toContain('url: "${SLACK_WEBHOOK_URL}" (sensitive)');
  expect(r.stdout).toContain('proj/${PROJ}:env/production:flag/*');
  expect(r.stdout).toContain('Plan: 2 to create, 0 to update, 0 to delete');
  expect(r.stdout).toContain('Applied: 2 created, 0 updated, 0 deleted.');
  expect(r.stdout).toContain('A signed delivery: {"ok":true,"secretIndex":1}');
  expect(r.stdout).toContain('The same delivery, altered: {"ok":false,"reason":"mismatch"}');
  for (const value of Object.values(EXAMPLE_ENV)) expect(r.stdout).not.toContain(value);
  expect(r.code).toBe(0);
}
