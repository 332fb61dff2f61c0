import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, SPAWN_TIMEOUT_MS } from '../support/cli.js';
import { ACTION, loadYaml, type Yaml } from './ci-files.js';

// The README's "Using ldhooks in CI" says what action.yml has: its tables list exactly the
// action's inputs (with their defaults) and outputs, and its snippets are valid workflow steps
// that use only inputs the action has.

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = (() => {
  const start = readme.indexOf('\n## Using ldhooks in CI\n');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0) throw new Error('the README has no section "Using ldhooks in CI"');
  return readme.slice(start, end);
})();
const action = loadYaml(ACTION);

/** The first column of the Markdown table whose header starts with `| name |`. */
const tableKeys = (name: string) => {
  const start = section.indexOf(`\n| ${name} |`);
  const rows = section.slice(start + 1).split('\n');
  const table = rows.slice(
    2,
    rows.findIndex((r) => !r.startsWith('|')),
  );
  return table.map((r) => r.split('|').map((c) => c.trim()));
};

describe('the README on the GitHub Action', () => {
  it('lists every input of action.yml with its default, and nothing else', () => {
    const rows = tableKeys('input');
    expect(rows.map((r) => r[1])).toEqual(Object.keys(action.inputs).map((k) => `\`${k}\``));
    for (const r of rows) {
      const name = (r[1] as string).replaceAll('`', '');
      const declared = action.inputs[name].default as string;
      // A default in the table is the declared one, or says in words what an empty one means.
      if (declared !== '' && declared !== '.') expect(r[2], name).toBe(`\`${declared}\``);
    }
  });

  it('lists every output of action.yml', () => {
    expect(tableKeys('output').map((r) => r[1])).toEqual(
      Object.keys(action.outputs).map((k) => `\`${k}\``),
    );
  });

  it(
    'gives snippets that action-validator accepts as steps, with inputs the action has',
    () => {
      const snippets = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)]
        .map((m) => m[1] as string)
        .filter((s) => s.includes('OWNER/ldhooks@'));
      expect(snippets.length).toBe(2);
      const validator = createRequire(path.join(ROOT, 'package.json')).resolve(
        '@action-validator/cli/cli.mjs',
      );
      const dir = mkdtempSync(path.join(tmpdir(), 'ldhooks-readme-'));
      try {
        for (const snippet of snippets) {
          for (const step of parse(snippet) as Yaml[]) {
            if (!step.uses) continue;
            expect(step.uses).toBe('OWNER/ldhooks@v1');
            for (const input of Object.keys(step.with ?? {}))
              expect(Object.keys(action.inputs), input).toContain(input);
          }
          const steps = snippet.replace(/^/gm, '      ');
          const file = path.join(dir, 'workflow.yml');
          writeFileSync(
            file,
            `on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`,
          );
          const r = spawnSync(process.execPath, [validator, file], { encoding: 'utf8' });
          expect(r.status, `${r.stdout}${r.stderr}\n${snippet}`).toBe(0);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});
