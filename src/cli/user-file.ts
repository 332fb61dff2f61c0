import path from 'node:path';
import { describeFsError, nodeFs, whyUnreadable } from '../adapters/fs/fs-reader.js';
import type { CliIO } from './io.js';

/** Why a file the user named could not be read, in words. */
export class UserFileError extends Error {
  constructor(
    message: string,
    /** Nothing is there: not even a link that leads nowhere. */
    readonly missing: boolean,
  ) {
    super(message);
    this.name = 'UserFileError';
  }
}

/**
 * A file the user names that is not a config (a saved plan, .ldhooks.json), read as UTF-8 text
 * (a byte-order mark dropped) the way config files are: a regular file of at most `limit` bytes,
 * or an error, never a wait on a FIFO or a read that does not end.
 *
 * @throws UserFileError, saying why: a link that leads nowhere is named, not taken for nothing.
 */
export async function readUserFile(io: CliIO, name: string, limit: number): Promise<string> {
  const fs = io.fs ?? nodeFs;
  const absolute = path.resolve(io.cwd, name);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(absolute, limit);
  } catch (e) {
    const why = await whyUnreadable(absolute, e, fs);
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserFileError(why, code === 'ENOENT' && why === describeFsError(e));
  }
  return new TextDecoder().decode(bytes);
}
