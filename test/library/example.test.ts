import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE,
  EXAMPLE_CONFIG,
  EXAMPLE_ENV,
  expectExampleOutput,
} from '../support/library-example.js';
import { ROOT } from '../support/paths.js';
import { run } from '../support/run.js';
import { SPAWN_TIMEOUT_MS } from '../support/timeouts.js';

const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  NO_COLOR: '1',
  ...extra,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-example-'));
  await writeFile(path.join(dir, 'hooks.yaml'), EXAMPLE_CONFIG);
});

describe('the README library example', () => {
  it('is the file examples/library/plan-and-apply.mjs, word for word', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Library API\n'));
    const block = /```js\n([\s\S]*?)```\n/.exec(section);
    expect(block?.[1]).toBe(await readFile(EXAMPLE, 'utf8'));
  });

  it(
    'runs against the emulator: plan, apply, signatures, and no value from the environment shown',
    async () => {
      // From the checkout, `ldhooks` is this package itself (Node resolves a package's own name).
      const r = await run(process.execPath, [EXAMPLE, dir], { cwd: ROOT, env: env(EXAMPLE_ENV) });
      expectExampleOutput(r);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'reports an invalid config with file:line:col and exits 1',
    async () => {
      const r = await run(process.execPath, [EXAMPLE, dir], {
        cwd: ROOT,
        env: env({ LD_HOOK_SECRET: EXAMPLE_ENV.LD_HOOK_SECRET }),
      });
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^the configuration is not valid \(2 errors\):\n/);
      expect(r.stderr).toMatch(
        /hooks\.yaml:4:\d+ {2}webhooks\[0\]\.url {2}environment variable SLACK_WEBHOOK_URL is not set/,
      );
      expect(r.stderr).toMatch(/hooks\.yaml:7:\d+ .*PROJ is not set/);
      expect(r.stderr).not.toContain(EXAMPLE_ENV.LD_HOOK_SECRET);
      expect(r.code).toBe(1);
    },
    SPAWN_TIMEOUT_MS,
  );
});
