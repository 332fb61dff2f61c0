import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describeFsError, readRegularFile } from '../fs/fs-reader.js';
import { checkStored, type StoredWebhook } from './rules.js';

const FORMAT = 'ldhooks-emulator';
/**
 * Twice the largest list the client reads (64 MiB): the file is indented, and holds the secrets
 * the list holds too.
 */
const MAX_DATA_FILE_BYTES = 128 * 1024 * 1024;

/** A data file that cannot be used. The emulator stops rather than empty it. */
export class EmulatorDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorDataError';
  }
}

export function newId(): string {
  return randomBytes(12).toString('hex');
}

export function newSecret(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The emulator's webhooks, in creation order, optionally persisted to a JSON file that is
 * rewritten atomically (temporary file, fsync, rename) after every change.
 */
export class WebhookStore {
  private readonly hooks = new Map<string, StoredWebhook>();

  constructor(private readonly file?: string) {
    if (file) this.load(file);
  }

  all(): StoredWebhook[] {
    return [...this.hooks.values()];
  }

  get(id: string): StoredWebhook | undefined {
    return this.hooks.get(id);
  }

  put(hook: StoredWebhook): void {
    this.change(() => this.hooks.set(hook._id, hook));
  }

  delete(id: string): boolean {
    if (!this.hooks.has(id)) return false;
    this.change(() => this.hooks.delete(id));
    return true;
  }

  clear(): void {
    this.change(() => this.hooks.clear());
  }

  /**
   * A change that cannot be written is undone: the client is told it failed, so the emulator
   * must not go on serving it, nor write it later with the next change.
   */
  private change(apply: () => void): void {
    const before = new Map(this.hooks);
    apply();
    try {
      this.persist();
    } catch (e) {
      this.hooks.clear();
      for (const [id, hook] of before) this.hooks.set(id, hook);
      throw e;
    }
  }

  private load(file: string): void {
    let text: string;
    try {
      text = new TextDecoder().decode(readRegularFile(file, MAX_DATA_FILE_BYTES));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        checkDirectory(file);
        return; // created on the first change
      }
      throw new EmulatorDataError(
        `cannot read the data file ${file}: ${describeFsError(e)}. Pass a regular file the emulator wrote, or a path where it may create one`,
      );
    }
    const fail = (why: string) =>
      new EmulatorDataError(
        `the data file ${file} is not usable: ${why}. Fix it, or move it away to start empty; the emulator never empties a data file by itself`,
      );
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw fail(`not valid JSON (${(e as Error).message})`);
    }
    const d = data as { format?: unknown; version?: unknown; webhooks?: unknown };
    if (
      typeof d !== 'object' ||
      d === null ||
      d.format !== FORMAT ||
      d.version !== 1 ||
      !Array.isArray(d.webhooks)
    ) {
      throw fail(`expected {"format": "${FORMAT}", "version": 1, "webhooks": [...]}`);
    }
    for (const [i, hook] of d.webhooks.entries()) {
      const problem = checkStored(hook);
      if (problem) throw fail(`webhooks[${i}]: ${problem}`);
      const h = hook as StoredWebhook;
      if (this.hooks.has(h._id)) throw fail(`webhooks[${i}]: _id ${h._id} appears twice`);
      this.hooks.set(h._id, h);
    }
  }

  private persist(): void {
    if (!this.file) return;
    const text = `${JSON.stringify({ format: FORMAT, version: 1, webhooks: this.all() }, null, 2)}\n`;
    const tmp = path.join(
      path.dirname(this.file),
      `.${path.basename(this.file)}.${process.pid}.tmp`,
    );
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}

/**
 * The data file is created on the first change: its directory must be there at start, or every
 * write would fail long after the emulator said it was ready.
 */
function checkDirectory(file: string): void {
  const dir = path.dirname(path.resolve(file));
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    // Reported below, the same way as a path that is not a directory.
  }
  if (!isDirectory) {
    throw new EmulatorDataError(
      `cannot keep the data file ${file}: its directory ${dir} does not exist. Create it first (mkdir -p ${dir}), or choose another --data`,
    );
  }
}
