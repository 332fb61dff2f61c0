import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  constants,
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeFsError,
  type FileCalls,
  FileTooLargeError,
  NotRegularFileError,
  nodeFileCalls,
  readRegularFile,
} from '../../../src/adapters/fs/fs-reader.js';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'ldhooks-read-'));

/**
 * Node's calls, counted, and refusing a blocking open: if the flag went missing, the FIFO below
 * would block this test's process for good instead of failing it.
 */
function counted(read: FileCalls['read'] = nodeFileCalls.read) {
  const seen = { opened: 0, closed: 0, bytes: 0 };
  const calls: FileCalls = {
    open(p, flags) {
      if ((flags & constants.O_NONBLOCK) === 0) throw new Error('opened without O_NONBLOCK');
      const fd = nodeFileCalls.open(p, flags);
      seen.opened++;
      return fd;
    },
    fstat: nodeFileCalls.fstat,
    read(fd, buffer, offset, length) {
      const n = read(fd, buffer, offset, length);
      seen.bytes += n;
      return n;
    },
    close(fd) {
      seen.closed++;
      nodeFileCalls.close(fd);
    },
  };
  return { calls, seen };
}

/** The error readRegularFile throws, or a failure if it read the file. */
function refusal(file: string, limit: number, calls: FileCalls): Error {
  try {
    readRegularFile(file, limit, calls);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`${file} was read`);
}

describe('readRegularFile', () => {
  it('reads a regular file whole, up to the limit exactly, and closes it', () => {
    const file = path.join(fresh(), 'a.yaml');
    writeFileSync(file, 'x'.repeat(100));
    const { calls, seen } = counted();
    expect(Buffer.from(readRegularFile(file, 100, calls)).toString()).toBe('x'.repeat(100));
    expect(readRegularFile(file, 100).length).toBe(100);
    expect(seen).toEqual({ opened: 1, closed: 1, bytes: 100 });
  });

  it('reads a file that grows within the limit as it is when the read ends', () => {
    const file = path.join(fresh(), 'a.yaml');
    writeFileSync(file, 'abc');
    let grown = false;
    const { calls } = counted((fd, buffer, offset, length) => {
      if (!grown) appendFileSync(file, 'd'.repeat(20));
      grown = true;
      return nodeFileCalls.read(fd, buffer, offset, length);
    });
    expect(Buffer.from(readRegularFile(file, 100, calls)).toString()).toBe(`abc${'d'.repeat(20)}`);
  });

  it('refuses a FIFO without waiting for a writer', () => {
    const fifo = path.join(fresh(), 'z.yaml');
    execFileSync('mkfifo', [fifo]);
    const { calls, seen } = counted();
    const e = refusal(fifo, 100, calls);
    expect(e).toBeInstanceOf(NotRegularFileError);
    expect(describeFsError(e)).toBe('not a regular file (a FIFO)');
    expect(seen).toEqual({ opened: 1, closed: 1, bytes: 0 });
  });

  it('refuses a link to /dev/zero without reading from it', () => {
    const link = path.join(fresh(), 'z.yaml');
    symlinkSync('/dev/zero', link);
    const { calls, seen } = counted();
    expect(describeFsError(refusal(link, 100, calls))).toBe('not a regular file (a device)');
    expect(seen).toEqual({ opened: 1, closed: 1, bytes: 0 });
  });

  it('refuses a directory and a socket', async () => {
    const dir = fresh();
    mkdirSync(path.join(dir, 'd.yaml'));
    expect(describeFsError(refusal(path.join(dir, 'd.yaml'), 100, counted().calls))).toBe(
      'not a regular file (a directory)',
    );
    const socket = path.join(dir, 's.yaml');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const e = refusal(socket, 100, counted().calls);
      expect(e).toBeInstanceOf(NotRegularFileError);
      expect(e.message).toBe('not a regular file (a socket, or a device that is not there)');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a file over the limit before reading it', () => {
    const file = path.join(fresh(), 'big.yaml');
    writeFileSync(file, 'x'.repeat(2048 + 1));
    const { calls, seen } = counted();
    const e = refusal(file, 2048, calls);
    expect(e).toBeInstanceOf(FileTooLargeError);
    expect(e.message).toBe('2049 bytes, over the 2.0 KiB limit');
    expect((e as FileTooLargeError).size).toBe(2049);
    expect(seen).toEqual({ opened: 1, closed: 1, bytes: 0 });
  });

  it('refuses a file that grows past the limit after it was opened, reading one byte more at most', () => {
    const file = path.join(fresh(), 'a.yaml');
    writeFileSync(file, 'abc');
    let grown = false;
    const { calls, seen } = counted((fd, buffer, offset, length) => {
      // Something writes to the file between the check of its size and the read.
      if (!grown) appendFileSync(file, 'x'.repeat(10_000));
      grown = true;
      return nodeFileCalls.read(fd, buffer, offset, length);
    });
    const e = refusal(file, 1024, calls);
    expect(e).toBeInstanceOf(FileTooLargeError);
    expect(e.message).toBe('grew past the 1.0 KiB limit while being read');
    expect(seen).toEqual({ opened: 1, closed: 1, bytes: 1025 });
  });

  it('gives the system error of a file that is not there, and opens nothing', () => {
    const { calls, seen } = counted();
    const e = refusal(path.join(fresh(), 'gone.yaml'), 100, calls);
    expect((e as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(seen).toEqual({ opened: 0, closed: 0, bytes: 0 });
  });
});
