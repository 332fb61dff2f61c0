import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/adapters/emulator/index.js';
import { allCommandLines, MARKER } from './ci-files.js';
import { emulatorEnv, runLine, setUp, tearDown } from './project.js';

// The failure path of the pull-request jobs: when plan fails or a guard refuses, the Markdown
// that the sticky comment (GitHub) or the note (GitLab) posts says why, with the place of each
// problem, or the guard and the option that overrides it, and the same exit code.

const PLAN_FOR_REVIEW =
  'npx ldhooks plan webhooks/ --format markdown --out ldhooks-plan.json > ldhooks-plan.md';

let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  ({ emulator, dir } = await setUp());
});
afterEach(() => tearDown(emulator, dir));

const byLine = (line: string) => {
  const found = allCommandLines().filter((c) => c.line === line);
  if (!found[0]) throw new Error(`no CI file has the command line ${line}`);
  return found;
};
/** The plan of the pull-request jobs: the GitHub workflow and the GitLab job run this very line. */
const command = () => {
  const found = byLine(PLAN_FOR_REVIEW);
  expect(found.map((c) => c.file).sort()).toEqual([
    'examples/ci/github/.github/workflows/ldhooks-pull-request.yml',
    'examples/ci/gitlab/.gitlab/ldhooks.gitlab-ci.yml',
  ]);
  return found[0] as (typeof found)[number];
};

/** Markdown's character references (`&#58;`) as the characters a reader sees. */
const decoded = (markdown: string) =>
  markdown
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');

describe('the comment of a pull request whose plan fails', () => {
  it('lists the config errors with their places, and exits 1', async () => {
    await writeFile(
      path.join(dir, 'webhooks/broken.yaml'),
      'version: 1\nwebhooks:\n  - name: broken\n    url: /not-absolute\n',
    );
    const r = await runLine(command(), { cwd: dir, env: emulatorEnv(emulator) });
    expect(r.code).toBe(1);
    const comment = decoded(r.files['ldhooks-plan.md'] ?? '');
    expect(comment.startsWith(`${MARKER}\n`)).toBe(true);
    expect(comment).toContain('Not planned: the configuration is not valid.');
    expect(comment).toContain('webhooks/broken.yaml:4:10');
    expect(comment).toContain('url must be an absolute http(s) URL');
    expect(emulator.requests).toEqual([]);
  });

  it('names the guard that refused and the option that allows it, and exits 3', async () => {
    const apply = byLine('npx ldhooks apply webhooks/ --auto-approve')[0];
    if (!apply) throw new Error('no apply line');
    expect((await runLine(apply, { cwd: dir, env: emulatorEnv(emulator) })).code).toBe(0);
    await rm(path.join(dir, 'webhooks'), { recursive: true });
    await mkdir(path.join(dir, 'webhooks'));
    await writeFile(path.join(dir, 'webhooks/empty.yaml'), 'version: 1\nwebhooks: []\n');
    const r = await runLine(command(), { cwd: dir, env: emulatorEnv(emulator) });
    expect(r.code).toBe(3);
    const comment = decoded(r.files['ldhooks-plan.md'] ?? '');
    expect(comment.startsWith(`${MARKER}\n`)).toBe(true);
    expect(comment).toContain('Refused by the guard `empty-config`');
    expect(comment).toContain('--allow-delete-all');
    // A refused plan is not saved for apply.
    await expect(readFile(path.join(dir, 'ldhooks-plan.json'))).rejects.toThrow();
  });

  it('says that LaunchDarkly refused the token, without the token', async () => {
    const r = await runLine(command(), {
      cwd: dir,
      env: { ...emulatorEnv(emulator), LD_ACCESS_TOKEN: 'wrong-token-51ab' },
    });
    expect(r.code).toBe(1);
    const comment = decoded(r.files['ldhooks-plan.md'] ?? '');
    expect(comment).toContain('Not planned: a request to LaunchDarkly failed.');
    expect(comment).toContain('401');
    expect(comment).not.toContain('wrong-token-51ab');
  });
});
