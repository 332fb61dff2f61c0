import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// Every parse the loader makes, counted: a file is parsed once to be read, and at most once
// more for the positions asked after its nodes were let go of, however many documents it holds.
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('yaml', async (importOriginal) => {
  const yaml = await importOriginal<typeof import('yaml')>();
  return {
    ...yaml,
    parseAllDocuments: (...args: Parameters<typeof yaml.parseAllDocuments>) => {
      parses.count += 1;
      return yaml.parseAllDocuments(...args);
    },
  };
});

const { readConfig } = await import('../../../src/adapters/fs/config-source.js');

describe('positions asked after loading', () => {
  it('parse a file of many documents again once, not once per document', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-reparse-'));
    const documents = 40;
    for (const file of ['a', 'b']) {
      let text = '';
      for (let i = 0; i < documents; i++) {
        text += `---\nversion: 1\nownerTag: managed-by-${file}\nwebhooks:\n  - name: h${i}\n    url: https://x.example.com/${i}\n`;
      }
      await writeFile(path.join(dir, `${file}.yaml`), text);
    }
    parses.count = 0;
    const config = await readConfig([dir], { env: {}, cwd: dir });
    // Every name is declared in both files: each problem needs both places.
    const duplicates = config.problems.filter((p) => p.code === 'config.duplicate-name');
    expect(duplicates).toHaveLength(2 * documents);
    expect(duplicates[documents + 3]).toMatchObject({
      file: 'b.yaml',
      line: 3 * 6 + 5,
      col: 11,
      message: `duplicate webhook name "h3", also declared at a.yaml:${3 * 6 + 5}:11`,
    });
    expect(parses.count).toBeLessThanOrEqual(4);
  });
});
