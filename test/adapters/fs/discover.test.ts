import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverConfigFiles } from '../../../src/adapters/fs/discover.js';
import { type FsReader, nodeFs } from '../../../src/adapters/fs/fs-reader.js';
import { formatProblem } from '../../../src/core/problem.js';

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

/** Node's calls, except that `call` on `target` fails as a denied permission does. */
function denying(call: keyof FsReader, target: string): FsReader {
  const denied = (p: string) =>
    Object.assign(new Error(`EACCES: permission denied, ${call} '${p}'`), {
      code: 'EACCES',
      syscall: call,
      path: p,
    });
  return {
    ...nodeFs,
    [call]: (p: string, limit: number) =>
      p === target ? Promise.reject(denied(p)) : nodeFs[call](p, limit),
  };
}

describe('entries that cannot be read', () => {
  const report = async (paths: string[], dir: string, fs?: FsReader) =>
    (await discoverConfigFiles(paths, dir, fs)).problems.map(formatProblem);

  it('reports a dangling link named like a config, naming it and its target', async () => {
    const dir = await tree(['hooks/a.yaml']);
    await symlink('../gone/b.yaml', path.join(dir, 'hooks', 'b.yaml'));
    const found = await discoverConfigFiles(['hooks'], dir);
    expect(found.files.map((f) => f.display)).toEqual(['hooks/a.yaml']);
    expect(found.problems.map(formatProblem)).toEqual([
      'hooks/b.yaml  cannot be read: a symbolic link to ../gone/b.yaml, which does not exist  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)',
    ]);
  });

  it('reports a link that loops, and not "no configs" for a directory that only holds it', async () => {
    const dir = await tree([]);
    await mkdir(path.join(dir, 'hooks'));
    await symlink('c.yaml', path.join(dir, 'hooks', 'c.yaml'));
    expect(await report(['hooks'], dir)).toEqual([
      'hooks/c.yaml  cannot be read: a symbolic link to c.yaml that leads back to itself  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)',
    ]);
  });

  it('reports every dangling link, whatever its name or target: it may have led to a directory of configs', async () => {
    const dir = await tree(['a.yaml']);
    await symlink('gone/team.yml', path.join(dir, 'team'));
    await symlink('/nonexistent/mount/teamc', path.join(dir, 'teamc'));
    await symlink('gone', path.join(dir, '.cache'));
    expect(await report(['.'], dir)).toEqual([
      'team  cannot be read: a symbolic link to gone/team.yml, which does not exist  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)',
      'teamc  cannot be read: a symbolic link to /nonexistent/mount/teamc, which does not exist  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)',
    ]);
  });

  it('reports a dangling or looping link named like a config even when its name starts with a dot', async () => {
    // A working `.team.yaml` is read, so a broken one is never passed by as a skipped directory.
    const dir = await tree(['a.yaml', '.working.yaml']);
    await symlink('gone/team.yaml', path.join(dir, '.team.yaml'));
    await symlink('.loop.yaml', path.join(dir, '.loop.yaml'));
    expect(await report(['.'], dir)).toEqual([
      '.loop.yaml  cannot be read: a symbolic link to .loop.yaml that leads back to itself  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)',
      '.team.yaml  cannot be read: a symbolic link to gone/team.yaml, which does not exist  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)',
    ]);
  });

  it('reports a PATH that is a looping link in words', async () => {
    const dir = await tree([]);
    await symlink('loop.yaml', path.join(dir, 'loop.yaml'));
    const [line = ''] = await report(['loop.yaml'], dir);
    expect(line).toBe(
      'loop.yaml  cannot be read: a symbolic link to loop.yaml that leads back to itself  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)',
    );
  });

  it('reports a directory that cannot be listed, without the system error text', async () => {
    const dir = await tree(['a.yaml', 'team/b.yaml']);
    const lines = await report(['.'], dir, denying('readdir', path.join(dir, 'team')));
    expect(lines).toEqual([
      'team  cannot list the directory: permission denied  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)',
    ]);
    expect(lines.join('\n')).not.toMatch(/EACCES|scandir|readdir/);
  });

  it('reports a PATH it may not look at', async () => {
    const dir = await tree(['a.yaml']);
    const lines = await report(['a.yaml'], dir, denying('stat', path.join(dir, 'a.yaml')));
    expect(lines).toEqual([
      'a.yaml  cannot be read: permission denied  (fix it or remove it; ldhooks plans nothing from a configuration it could not read whole)',
    ]);
  });

  it('reports a pipe named like a config instead of skipping or opening it', async () => {
    const dir = await tree(['a.yaml']);
    execFileSync('mkfifo', [path.join(dir, 'b.yaml')]);
    const found = await discoverConfigFiles(['.'], dir);
    expect(found.files.map((f) => f.display)).toEqual(['a.yaml']);
    expect(found.problems.map(formatProblem)).toEqual([
      'b.yaml  named like a config file, but not a regular file (a pipe, socket or device)  (remove it, or rename it so that it does not end in .yaml or .yml)',
    ]);
  });
});
