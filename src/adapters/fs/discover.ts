import path from 'node:path';
import type { Problem } from '../../core/problem.js';
import { type EntryInfo, type FsReader, nodeFs, whyUnreadable } from './fs-reader.js';

export { describeFsError } from './fs-reader.js';

export interface Discovered {
  /** Files to read: absolute path and the name to show the user. Sorted, without repeats. */
  files: { absolute: string; display: string }[];
  problems: Problem[];
}

const CONFIG_EXTENSION = /\.ya?ml$/i;
/** Directories never searched: tooling and version control, not configuration. */
const SKIPPED_DIRECTORY = (name: string) => name.startsWith('.') || name === 'node_modules';

/**
 * An entry that cannot be read stops everything: skipping it would make ldhooks believe the
 * webhooks it declares were removed, and apply would delete them.
 */
const UNREADABLE_REMEDY =
  'fix it or remove it; ldhooks plans nothing from a configuration it could not read whole';

/**
 * PATH arguments are files or directories; directories are read recursively for `.yaml` and
 * `.yml` files. A file named explicitly is read whatever its extension. Every entry that
 * cannot be read (a dangling or looping link, a directory that cannot be listed) is a problem.
 */
export async function discoverConfigFiles(
  paths: readonly string[],
  cwd: string,
  fs: FsReader = nodeFs,
): Promise<Discovered> {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const files: Discovered['files'] = [];
  const unreadable = async (absolute: string, e: unknown, what = 'cannot be read') =>
    problems.push(
      fileProblem(
        displayName(absolute, cwd),
        'fs.unreadable',
        `${what}: ${await whyUnreadable(absolute, e, fs)}`,
        UNREADABLE_REMEDY,
      ),
    );
  const add = async (absolute: string) => {
    let real: string;
    try {
      real = await fs.realpath(absolute);
    } catch (e) {
      await unreadable(absolute, e);
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    files.push({ absolute, display: displayName(absolute, cwd) });
  };
  const walker: Walker = { fs, unreadable, problems, cwd };

  for (const given of paths.length > 0 ? paths : ['.']) {
    const absolute = path.resolve(cwd, given);
    const display = displayName(absolute, cwd);
    let info: EntryInfo;
    try {
      info = await fs.stat(absolute);
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      const reason = await whyUnreadable(absolute, e, fs);
      problems.push(
        missing && reason === 'no such file or directory'
          ? fileProblem(
              display,
              'fs.not-found',
              reason,
              'check the path; PATH arguments are config files or directories',
            )
          : fileProblem(display, 'fs.unreadable', `cannot be read: ${reason}`, UNREADABLE_REMEDY),
      );
      continue;
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      const before = problems.length;
      await walkDirectory(absolute, found, new Set(), walker);
      if (found.length === 0 && problems.length === before) {
        problems.push(
          fileProblem(
            display,
            'fs.no-configs',
            'the directory holds no .yaml or .yml files',
            'point ldhooks at the directory or files that hold your webhook configs',
          ),
        );
      }
      for (const f of found) await add(f);
    } else if (info.isFile()) {
      await add(absolute);
    } else {
      problems.push(
        fileProblem(
          display,
          'fs.not-a-file',
          'not a regular file or directory',
          'pass config files or directories',
        ),
      );
    }
  }
  files.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { files, problems };
}

interface Walker {
  fs: FsReader;
  unreadable(absolute: string, e: unknown, what?: string): Promise<unknown>;
  problems: Problem[];
  cwd: string;
}

async function walkDirectory(
  dir: string,
  out: string[],
  visited: Set<string>,
  w: Walker,
): Promise<void> {
  let entries: Awaited<ReturnType<FsReader['readdir']>>;
  try {
    const real = await w.fs.realpath(dir);
    if (visited.has(real)) return;
    visited.add(real);
    entries = await w.fs.readdir(dir);
  } catch (e) {
    await w.unreadable(dir, e, 'cannot list the directory');
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const named = CONFIG_EXTENSION.test(entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      let target: EntryInfo;
      try {
        target = await w.fs.stat(full);
      } catch (e) {
        // A link that leads nowhere may have led to a config file or to a whole directory of
        // them (a missing mount): what it held cannot be known, so it is never skipped. Only a
        // name skipped as a directory (.git, node_modules) is passed by, unless it is named like
        // a config file: `.team.yaml` is read when it leads somewhere, so it is never skipped.
        if (named || !SKIPPED_DIRECTORY(entry.name)) await w.unreadable(full, e);
        continue;
      }
      isDir = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDir && !SKIPPED_DIRECTORY(entry.name)) await walkDirectory(full, out, visited, w);
    else if (isFile && named) out.push(full);
    else if (!isDir && named) {
      w.problems.push(
        fileProblem(
          displayName(full, w.cwd),
          'fs.not-a-file',
          'named like a config file, but not a regular file (a pipe, socket or device)',
          'remove it, or rename it so that it does not end in .yaml or .yml',
        ),
      );
    }
  }
}

export function displayName(absolute: string, cwd: string): string {
  const rel = path.relative(cwd, absolute);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? absolute : rel;
}

export function fileProblem(file: string, code: string, message: string, remedy: string): Problem {
  return { severity: 'error', code, file, line: 0, col: 0, path: '', message, remedy };
}
