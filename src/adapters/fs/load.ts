import type { Problem } from '../../core/problem.js';
import type { SourceDocument } from '../../core/source.js';
import { discoverConfigFiles, fileProblem } from './discover.js';
import {
  describeFsError,
  FileTooLargeError,
  type FsReader,
  formatBytes,
  NotRegularFileError,
  nodeFs,
} from './fs-reader.js';
import { parseYamlSource } from './yaml-source.js';

/** A config file larger than this is refused, never read whole: configs are small. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** What {@link loadSources} read: the parsed documents, and the problems of reading them. */
export interface LoadedSources {
  /** With allowMissingEnv: the variables that were not set, sorted. */
  unsetVariables: string[];
  /** Every file that was read, as shown to the user. */
  files: string[];
  documents: SourceDocument[];
  problems: Problem[];
}

/** Where {@link loadSources} reads from, and the environment `${NAME}` reads. */
export interface LoadOptions {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The file-system calls; Node's unless a test injects failing ones. */
  fs?: FsReader;
  /** Treat unset `${NAME}` as unknown placeholders instead of errors. */
  allowMissingEnv?: boolean;
  /**
   * Given, each document is handed to it as soon as its file is parsed, and its parse is let go
   * of afterwards (asked again, it parses the text again): a large configuration is never held
   * in memory as nodes all at once.
   */
  onDocument?: (doc: SourceDocument) => void;
}

/** Reads, parses and interpolates every config file under the given paths. */
export async function loadSources(
  paths: readonly string[],
  options: LoadOptions,
): Promise<LoadedSources> {
  const fs = options.fs ?? nodeFs;
  const discovered = await discoverConfigFiles(paths, options.cwd, fs);
  const problems = [...discovered.problems];
  const documents: SourceDocument[] = [];
  const files: string[] = [];
  const missing = options.allowMissingEnv ? new Set<string>() : undefined;
  for (const { absolute, display } of discovered.files) {
    files.push(display);
    const text = await readText(absolute, display, problems, fs);
    if (text === undefined) continue;
    const parsed = parseYamlSource(display, text, options.env, missing);
    for (const doc of parsed.documents) {
      if (!options.onDocument) continue;
      options.onDocument(doc);
      doc.release();
    }
    documents.push(...parsed.documents);
    problems.push(...parsed.problems);
    // A moment between files for the collection of young objects V8 schedules: now, with this
    // file's nodes let go of, little is alive to copy; in the middle of the next parse, much is.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { files, documents, problems, unsetVariables: [...(missing ?? [])].sort() };
}

async function readText(
  absolute: string,
  display: string,
  problems: Problem[],
  fs: FsReader,
): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(absolute, MAX_FILE_BYTES);
  } catch (e) {
    problems.push(unreadable(display, e));
    return undefined;
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    problems.push(
      fileProblem(
        display,
        'fs.utf16',
        'the file is UTF-16 text; ldhooks reads UTF-8',
        'save the file as UTF-8 (most editors offer it under "encoding")',
      ),
    );
    return undefined;
  }
  if (bytes.includes(0)) {
    problems.push(
      fileProblem(
        display,
        'fs.binary',
        'not a text file (it contains NUL bytes)',
        'pass YAML config files only',
      ),
    );
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.push(
      fileProblem(display, 'fs.unreadable', 'not UTF-8 text', 'save the file as UTF-8 YAML'),
    );
    return undefined;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const NOT_READ_WHOLE = 'ldhooks plans nothing from a configuration it could not read whole';

/**
 * Why a discovered file could not be read. Discovery took only regular files: one that is
 * something else now was swapped while ldhooks read the others.
 */
function unreadable(display: string, e: unknown): Problem {
  if (e instanceof NotRegularFileError) {
    return fileProblem(
      display,
      'fs.not-a-file',
      `is no longer a regular file (${e.kind}): it changed while ldhooks read it`,
      `make it a regular config file again, or remove it, then run ldhooks again; ${NOT_READ_WHOLE}`,
    );
  }
  if (e instanceof FileTooLargeError) {
    return e.size === undefined
      ? fileProblem(
          display,
          'fs.too-large',
          `the file ${e.message}`,
          `run ldhooks again once nothing writes to it, and keep each config file under ${formatBytes(e.limit)}; ${NOT_READ_WHOLE}`,
        )
      : fileProblem(
          display,
          'fs.too-large',
          `the file is ${e.message} for a config file`,
          'split the webhooks over several smaller files, or check that this is the file you meant',
        );
  }
  return fileProblem(
    display,
    'fs.unreadable',
    `cannot be read: ${describeFsError(e)}`,
    `give ldhooks permission to read it, or remove it; ${NOT_READ_WHOLE}`,
  );
}
