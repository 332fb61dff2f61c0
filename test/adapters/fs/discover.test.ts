import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverConfigFiles } from '../../../src/adapters/fs/discover.js';

async function tree(files: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-discover-'));
  for (const f of files) {
    await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
    await writeFile(path.join(dir, f), 'version: 1\nwebhooks: []\n');
  }
  return dir;
}

describe('discoverConfigFiles', () => {
  it('reads directories recursively, .yaml and .yml only, in sorted order', async () => {
    const dir = await tree(['b.yml', 'a.yaml', 'z/c.YAML', 'm/n/d.yaml', 'notes.txt', 'x.json']);
    const found = await discoverConfigFiles(['.'], dir);
    expect(found.problems).toEqual([]);
    expect(found.files.map((f) => f.display)).toEqual([
      'a.yaml',
      'b.yml',
      'm/n/d.yaml',
      'z/c.YAML',
    ]);
  });

  it('skips dot-directories and node_modules', async () => {
    const dir = await tree([
      '.git/x.yaml',
      'node_modules/p/y.yaml',
      '.github/workflows/ci.yml',
      'ok.yaml',
    ]);
    const found = await discoverConfigFiles([], dir);
    expect(found.files.map((f) => f.display)).toEqual(['ok.yaml']);
  });

  it('reads a file named explicitly whatever its extension, once', async () => {
    const dir = await tree(['hooks.conf', 'a.yaml']);
    const found = await discoverConfigFiles(['hooks.conf', 'a.yaml', '.', './a.yaml'], dir);
    expect(found.files.map((f) => f.display)).toEqual(['a.yaml', 'hooks.conf']);
  });

  it('survives a symlink loop', async () => {
    const dir = await tree(['d/a.yaml']);
    await symlink(dir, path.join(dir, 'd', 'loop'));
    const found = await discoverConfigFiles(['d'], dir);
    expect(found.files.map((f) => f.display)).toEqual(['d/a.yaml']);
  });

  it('reports a directory without configs and a missing path', async () => {
    const dir = await tree(['empty/readme.txt']);
    const found = await discoverConfigFiles(['empty', 'missing'], dir);
    expect(found.problems.map((p) => [p.file, p.code])).toEqual([
      ['empty', 'fs.no-configs'],
      ['missing', 'fs.not-found'],
    ]);
  });
});
