import { spawn } from 'node:child_process';
import dns from 'node:dns';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { FsReader } from '../../src/adapters/fs/fs-reader.js';
import type { Clock } from '../../src/adapters/launchdarkly/pacer.js';
import type { CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { fakeClock } from './clock.js';
import { ROOT } from './paths.js';
import { SPAWN_TIMEOUT_MS } from './timeouts.js';

export { ROOT, SPAWN_TIMEOUT_MS };
/** The command the package ships: its `bin`, the bundle scripts/bundle-cli.mjs builds. */
export const CLI = path.join(
  ROOT,
  (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      bin: { ldhooks: string };
    }
  ).bin.ldhooks,
);
const NO_NETWORK = path.join(ROOT, 'test/support/no-network.mjs');

/** What the spawned guard and the in-process guard both print when a command reaches out. */
export const NETWORK_MARKER = 'NETWORK-ACCESS-ATTEMPTED';

export interface CliResult {
  /** The exit code; null only for a spawned process ended by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /**
   * Added to NO_COLOR=1 (and, for a child process, PATH and HOME) to make the whole environment:
   * tests control every variable, and nothing comes from process.env.
   */
  env?: Record<string, string>;
  input?: string;
  /** Fail the run (exit 99 and a marker on stderr) if it touches the network. */
  offline?: boolean;
}

export interface InProcessOptions extends CliOptions {
  /** Whether the command sees a terminal on stdout and on stdin. */
  isTTY?: { stdout?: boolean; stdin?: boolean };
  /** Default: a fresh fake clock, so retries and rate-limit waits cost no real time. */
  clock?: Clock;
  /** Stands in for process.exit (a second SIGINT stops at once); default: throws if called. */
  exit?: (code: number) => void;
  /** How the command reads the files it is given; default: Node's. */
  fs?: FsReader;
}

export interface RunningCli {
  /** Resolves with the first stdout match of the pattern; rejects if the command ends first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Sends a signal (unless the command already ended) and resolves with its result. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  /** Resolves with the result when the command ends by itself. */
  done(): Promise<CliResult>;
  output(): { stdout: string; stderr: string };
}

/** Output collected as it is written, with listeners for `waitFor`. */
class Output {
  stdout = '';
  stderr = '';
  ended = false;
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const l of this.listeners) l();
  }

  waitFor(pattern: RegExp, describeEnd: () => string): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.stdout.match(pattern);
        if (!m && !this.ended) return;
        this.listeners.delete(check);
        if (m) resolve(m);
        else
          reject(
            new Error(
              `${describeEnd()} before ${pattern}; stdout: ${this.stdout}; stderr: ${this.stderr}`,
            ),
          );
      };
      this.listeners.add(check);
      check();
    });
  }
}

function collector(output: Output, key: 'stdout' | 'stderr', isTTY: boolean | undefined) {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      output[key] += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      output.notify();
      callback();
    },
  });
  return Object.assign(stream, { isTTY });
}

/** The attempts of each offline run under way; the stubs stay while any run is under way. */
const offlineRuns = new Set<string[]>();
let original:
  | { fetch: typeof fetch; connect: typeof net.Socket.prototype.connect; lookup: typeof dns.lookup }
  | undefined;

/**
 * Replaces the ways this process reaches the network with stubs that record the attempt for
 * every offline run under way and refuse. release() ends this run's part and puts the originals
 * back after the last one, so that a run left behind by a failed test cannot make the next fail.
 */
function denyNetwork() {
  const attempts: string[] = [];
  offlineRuns.add(attempts);
  if (!original) {
    original = {
      fetch: globalThis.fetch,
      connect: net.Socket.prototype.connect,
      lookup: dns.lookup,
    };
    const refuse = (what: string) => {
      for (const run of offlineRuns) run.push(what);
      return new Error(`${NETWORK_MARKER}: ${what}`);
    };
    globalThis.fetch = (async () => {
      throw refuse('fetch');
    }) as typeof fetch;
    net.Socket.prototype.connect = function connect() {
      throw refuse('net.Socket.connect');
    } as typeof net.Socket.prototype.connect;
    dns.lookup = (() => {
      throw refuse('dns.lookup');
    }) as unknown as typeof dns.lookup;
  }
  return {
    attempts,
    release() {
      offlineRuns.delete(attempts);
      if (offlineRuns.size > 0 || !original) return;
      globalThis.fetch = original.fetch;
      net.Socket.prototype.connect = original.connect;
      dns.lookup = original.lookup;
      original = undefined;
    },
  };
}

/**
 * Runs the CLI in this process through `run()` with in-memory streams: the same program a user
 * runs, without the cost of starting Node. The result can be awaited, and a long-running
 * command (the emulator) can be waited on and stopped with a signal.
 */
export function startCliInProcess(
  args: readonly string[],
  options: InProcessOptions = {},
): RunningCli {
  const output = new Output();
  const signals = new EventEmitter();
  const stdin = Object.assign(
    Readable.from(options.input ? [options.input] : [], { objectMode: false }),
    {
      isTTY: options.isTTY?.stdin,
    },
  );
  const io: CliIO = {
    stdout: collector(output, 'stdout', options.isTTY?.stdout),
    stderr: collector(output, 'stderr', false),
    stdin,
    env: { NO_COLOR: '1', ...options.env },
    cwd: options.cwd ?? ROOT,
    signals,
    clock: options.clock ?? fakeClock(),
    fs: options.fs,
    exit:
      options.exit ??
      ((code) => {
        throw new Error(`the command asked to exit the test process with ${code}`);
      }),
  };
  const guard = options.offline ? denyNetwork() : undefined;
  const result = (async (): Promise<CliResult> => {
    let code: number;
    try {
      code = await run(args, io);
    } finally {
      guard?.release();
      output.ended = true;
    }
    if (guard && guard.attempts.length > 0) {
      // The same verdict the spawned guard gives, so that a test reads both alike.
      code = 99;
      for (const what of new Set(guard.attempts)) output.stderr += `${NETWORK_MARKER}: ${what}\n`;
    }
    output.notify();
    return { code, stdout: output.stdout, stderr: output.stderr };
  })();
  return {
    waitFor: (pattern) => output.waitFor(pattern, () => 'the command ended'),
    stop(signal = 'SIGINT') {
      // A signal nobody can catch has no in-process equivalent: such a test needs startCli.
      if (signal !== 'SIGINT' && signal !== 'SIGTERM')
        throw new Error(`in process, a command can only be sent SIGINT or SIGTERM, not ${signal}`);
      if (!output.ended) signals.emit(signal, signal);
      return result;
    },
    done: () => result,
    output: () => ({ stdout: output.stdout, stderr: output.stderr }),
  };
}

/** Runs the CLI in this process to completion. */
export function runCli(
  args: readonly string[],
  options: InProcessOptions = {},
): Promise<CliResult> {
  return startCliInProcess(args, options).done();
}

/**
 * Starts the built CLI as a child process, as a user would. Only for what needs the real
 * process: signals, a closed pipe, the network guard loaded with --import, the built files.
 */
export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const nodeArgs = options.offline ? ['--import', NO_NETWORK, CLI] : [CLI];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: options.cwd ?? ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = new Output();
  let exit: number | null | undefined;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    output.stdout += d;
    output.notify();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    output.stderr += d;
    output.notify();
  });
  const closed = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      exit = code;
      output.ended = true;
      output.notify();
      resolve({ code, stdout: output.stdout, stderr: output.stderr });
    });
  });
  child.stdin.end(options.input ?? '');
  return {
    waitFor: (pattern) => output.waitFor(pattern, () => `exited with ${exit}`),
    stop(signal = 'SIGINT') {
      if (exit === undefined) child.kill(signal);
      return closed;
    },
    done: () => closed,
    output: () => ({ stdout: output.stdout, stderr: output.stderr }),
  };
}

/** Runs the built CLI as a child process to completion. */
export function spawnCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done();
}
