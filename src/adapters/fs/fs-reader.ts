import type { Dirent, Stats } from 'node:fs';
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';

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
  /** A regular file's bytes, as {@link readRegularFile} reads them: at most `limit`. */
  readFile(absolute: string, limit: number): Promise<Uint8Array>;
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
  readFile: async (p, limit) => readRegularFile(p, limit),
};

/** A file that opened, but is not a regular file (a FIFO, a socket, a device, a directory). */
export class NotRegularFileError extends Error {
  constructor(
    /** What it is, in words: `a FIFO`. */
    readonly kind: string,
  ) {
    super(`not a regular file (${kind})`);
    this.name = 'NotRegularFileError';
  }
}

/** A file over the limit of what ldhooks reads: at open, or grown past it while being read. */
export class FileTooLargeError extends Error {
  constructor(
    readonly limit: number,
    /** Its size when it was opened; undefined when it grew past the limit after. */
    readonly size?: number,
  ) {
    super(
      size === undefined
        ? `grew past the ${formatBytes(limit)} limit while being read`
        : `${formatBytes(size) === formatBytes(limit) ? `${size} bytes` : formatBytes(size)}, over the ${formatBytes(limit)} limit`,
    );
    this.name = 'FileTooLargeError';
  }
}

/** The calls {@link readRegularFile} makes: Node's, unless a test makes a file grow as it reads. */
export interface FileCalls {
  open(absolute: string, flags: number): number;
  fstat(fd: number): Pick<Stats, 'size' | 'isFile' | 'isFIFO' | 'isSocket' | 'isDirectory'>;
  read(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  close(fd: number): void;
}

export const nodeFileCalls: FileCalls = {
  open: (p, flags) => openSync(p, flags),
  fstat: (fd) => fstatSync(fd),
  read: (fd, buffer, offset, length) => readSync(fd, buffer, offset, length, null),
  close: (fd) => closeSync(fd),
};

/**
 * Without blocking: a FIFO opened for reading blocks in open() until a writer comes, and a
 * blocked synchronous call stops the event loop, signals included. On a regular file the flag
 * changes nothing. (Windows has no such flag, and no FIFO to open by a path.)
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a file the user named, whatever it became since it was looked at: opened without
 * blocking, checked through the open descriptor (what is read is what was checked, not what the
 * path names a moment later), and read up to `limit` + 1 bytes, so that a device that never
 * ends (`/dev/zero`) or a file that grows is refused, never read whole. The descriptor is
 * always closed. Synchronous: files are few and local, and a thread hop per file costs more on
 * a busy machine than the read.
 *
 * @throws NotRegularFileError, FileTooLargeError, or the system's error (ENOENT, EACCES...).
 */
export function readRegularFile(
  absolute: string,
  limit: number,
  calls: FileCalls = nodeFileCalls,
): Uint8Array {
  let fd: number;
  try {
    fd = calls.open(absolute, OPEN_FLAGS);
  } catch (e) {
    // What open() says of a socket, or of a device with nothing behind it.
    if ((e as NodeJS.ErrnoException).code === 'ENXIO')
      throw new NotRegularFileError('a socket, or a device that is not there');
    throw e;
  }
  try {
    const info = calls.fstat(fd);
    if (!info.isFile()) throw new NotRegularFileError(kindOf(info));
    if (info.size > limit) throw new FileTooLargeError(limit, info.size);
    // One byte more than the size: the read that finds the end costs one call, not a copy.
    let buffer = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) throw new FileTooLargeError(limit);
        const larger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
        buffer.copy(larger);
        buffer = larger;
      }
      const n = calls.read(fd, buffer, length, buffer.length - length);
      if (n === 0) return buffer.subarray(0, length);
      length += n;
    }
  } finally {
    calls.close(fd);
  }
}

function kindOf(info: ReturnType<FileCalls['fstat']>): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  return 'a device';
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * Why an entry cannot be read, in words: the system's own message carries the error code, the
 * system call and the path (`EACCES: permission denied, scandir '/x'`), which helps nobody.
 */
export function describeFsError(e: unknown): string {
  if (e instanceof NotRegularFileError || e instanceof FileTooLargeError) return e.message;
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
