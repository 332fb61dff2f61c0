import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../../core/problem.js';

export interface Discovered {
  /** Files to read: absolute path and the name to show the user. Sorted, without repeats. */
  files: { absolute: string; display: string }[];
  problems: Problem[];
}

const CONFIG_EXTENSION = /\.ya?ml$/i;
/** Directories never searched: tooling and version control, not configuration. */
const SKIPPED_DIRECTORY = (name: string) => name.startsWith('.') || name === 'node_modules';

/**
 * PATH arguments are files or directories; directories are read recursively for `.yaml` and
 * `.yml` files. A file named explicitly is read whatever its extension.
 */
export async function discoverConfigFiles(
  paths: readonly string[],
  cwd: string,
): Promise<Discovered> {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const files: Discovered['files'] = [];
  const add = async (absolute: string) => {
    const real = await realpath(absolute);
    if (seen.has(real)) return;
    seen.add(real);
    files.push({ absolute, display: displayName(absolute, cwd) });
  };

  for (const given of paths.length > 0 ? paths : ['.']) {
    const absolute = path.resolve(cwd, given);
    const display = displayName(absolute, cwd);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(absolute);
    } catch (e) {
      problems.push(
        fileProblem(
          display,
          'fs.not-found',
          describeFsError(e),
          'check the path; PATH arguments are config files or directories',
        ),
      );
      continue;
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      await walkDirectory(absolute, found, new Set());
      if (found.length === 0) {
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

async function walkDirectory(dir: string, out: string[], visited: Set<string>): Promise<void> {
  const real = await realpath(dir);
  if (visited.has(real)) return;
  visited.add(real);
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir && !SKIPPED_DIRECTORY(entry.name)) await walkDirectory(full, out, visited);
    else if (isFile && CONFIG_EXTENSION.test(entry.name)) out.push(full);
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

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
