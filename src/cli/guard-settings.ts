import { CliError, type CliIO } from './io.js';
import { readUserFile, UserFileError } from './user-file.js';

/** The project file a repository sets its guard thresholds in, read from the working directory. */
export const PROJECT_FILE = '.ldhooks.json';
export const DEFAULT_MAX_DELETE_PERCENT = 25;
/** It holds one setting: anything larger is not the file ldhooks means. */
const MAX_PROJECT_FILE_BYTES = 64 * 1024;

function percent(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 100) {
    throw new CliError(
      `${where} must be a whole number from 0 to 100; set it to the largest share of the managed webhooks one run may delete`,
    );
  }
  return n;
}

/**
 * The deletion threshold: --max-delete-percent, else LDHOOKS_MAX_DELETE_PERCENT, else
 * `maxDeletePercent` in .ldhooks.json, else 25. A repository sets it once; the command line wins.
 */
export async function maxDeletePercent(flag: number | undefined, io: CliIO): Promise<number> {
  return (await deleteThreshold(flag, io)).value;
}

/** The deletion threshold and, unless it is the flag or the default, where it was set. */
export async function deleteThreshold(
  flag: number | undefined,
  io: CliIO,
): Promise<{ value: number; from?: string }> {
  if (flag !== undefined) return { value: flag };
  const fromEnv = io.env.LDHOOKS_MAX_DELETE_PERCENT;
  if (fromEnv !== undefined && fromEnv !== '') {
    const from = 'LDHOOKS_MAX_DELETE_PERCENT';
    return { value: percent(fromEnv, from), from };
  }
  const fromFile = await projectThreshold(io);
  return fromFile === undefined
    ? { value: DEFAULT_MAX_DELETE_PERCENT }
    : { value: fromFile, from: `maxDeletePercent in ${PROJECT_FILE}` };
}

/** `maxDeletePercent` of .ldhooks.json in the working directory, when the file sets it. */
async function projectThreshold(io: CliIO): Promise<number | undefined> {
  let text: string;
  try {
    text = await readUserFile(io, PROJECT_FILE, MAX_PROJECT_FILE_BYTES);
  } catch (e) {
    if (e instanceof UserFileError && e.missing) return undefined;
    throw new CliError(
      `cannot read ${PROJECT_FILE}: ${(e as Error).message}; make it a regular JSON file ldhooks may read, such as {"maxDeletePercent": 25}, or remove it`,
    );
  }
  let project: unknown;
  try {
    // A byte-order mark, which editors on some systems start a UTF-8 file with, was dropped.
    project = JSON.parse(text);
  } catch {
    throw new CliError(
      `${PROJECT_FILE} is not valid JSON; write {"maxDeletePercent": 25}, for example`,
    );
  }
  if (typeof project !== 'object' || project === null || Array.isArray(project)) {
    throw new CliError(`${PROJECT_FILE} must hold an object such as {"maxDeletePercent": 25}`);
  }
  const unknown = Object.keys(project).filter((k) => k !== 'maxDeletePercent');
  if (unknown.length > 0) {
    throw new CliError(
      `${PROJECT_FILE}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; the keys it takes: maxDeletePercent`,
    );
  }
  const value = (project as { maxDeletePercent?: unknown }).maxDeletePercent;
  if (value === undefined) return undefined;
  // JSON has numbers: a quoted one is a mistake worth saying.
  return percent(
    typeof value === 'number' ? value : Number.NaN,
    `maxDeletePercent in ${PROJECT_FILE}`,
  );
}
