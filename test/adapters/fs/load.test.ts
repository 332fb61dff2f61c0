import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/adapters/fs/config-source.js';
import { type FsReader, nodeFs } from '../../../src/adapters/fs/fs-reader.js';
import { formatProblem, hasErrors } from '../../../src/core/problem.js';

const HOOK = (name: string) =>
  `version: 1\nwebhooks:\n  - name: ${name}\n    url: https://${name}.example.com/in\n`;

describe('a config file that cannot be read', () => {
  it('is an error naming the file and the reason in words, with a remedy that fits', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-load-'));
    await writeFile(path.join(dir, 'a.yaml'), HOOK('a'));
    await writeFile(path.join(dir, 'b.yaml'), HOOK('b'));
    const locked = path.join(dir, 'b.yaml');
    const fs: FsReader = {
      ...nodeFs,
      readFile: (p, limit) =>
        p === locked
          ? Promise.reject(
              Object.assign(new Error(`EACCES: permission denied, open '${p}'`), {
                code: 'EACCES',
              }),
            )
          : nodeFs.readFile(p, limit),
    };
    const result = await readConfig(['.'], { env: {}, cwd: dir, fs });
    expect(hasErrors(result.problems)).toBe(true);
    expect(result.problems.map(formatProblem)).toEqual([
      'b.yaml  cannot be read: permission denied  (give ldhooks permission to read it, or remove it; ldhooks plans nothing from a configuration it could not read whole)',
    ]);
  });
});
