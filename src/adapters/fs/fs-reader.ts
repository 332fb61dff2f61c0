import type { Dirent } from 'node:fs';
import { readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';

/** What `stat` tells discovery about an entry. */
export interface EntryInfo {
  isFile(): boolean;
  isDirectory(): boolean;
  size: number;
}

/**
 * The file-system calls config loading makes, as one object: a test hands in calls that fail
 * the way a permission or a disk does, which it cannot provoke for real when it runs as root.
 */
export interface FsReader {
  stat(absolute: string): Promise<EntryInfo>;
  readdir(
    absolute: string,
  ): Promise<Pick<Dirent, 'name' | 'isFile' | 'isDirectory' | 'isSymbolicLink'>[]>;
  realpath(absolute: string): Promise<string>;
  readlink(absolute: string): Promise<string>;
  readFile(absolute: string): Promise<Uint8Array>;
}

/**
 * Node's calls, made synchronously: config files are few and local, and a CLI has nothing else
 * to do while it reads them, while each asynchronous call waits its turn for a thread (on a
 * busy machine, longer than the read itself). Errors are the same, as rejections.
 */
export const nodeFs: FsReader = {
  stat: async (p) => statSync(p),
  readdir: async (p) => readdirSync(p, { withFileTypes: true }),
  realpath: async (p) => realpathSync.native(p),
  readlink: async (p) => readlinkSync(p),
  readFile: async (p) => readFileSync(p),
};

/**
 * Why an entry cannot be read, in words: the system's own message carries the error code, the
 * system call and the path (`EACCES: permission denied, scandir '/x'`), which helps nobody.
 */
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
    case 'ELOOP':
      return 'a loop of symbolic links: following them leads back to where they started';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'EIO':
      return 'the disk reported an input/output error';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open';
    default:
      return code ? `the system refused to read it (${code})` : 'it could not be read';
  }
}

/**
 * The reason an entry cannot be read, naming the target of a symbolic link that leads nowhere
 * or back to itself: the link is what needs fixing, not the file it names.
 */
export async function whyUnreadable(absolute: string, e: unknown, fs: FsReader): Promise<string> {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ELOOP') {
    const target = await fs.readlink(absolute).catch(() => undefined);
    if (target !== undefined) {
      return code === 'ENOENT'
        ? `a symbolic link to ${target}, which does not exist`
        : `a symbolic link to ${target} that leads back to itself`;
    }
  }
  return describeFsError(e);
}
