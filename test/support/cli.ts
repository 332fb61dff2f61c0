import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');
const NO_NETWORK = path.join(ROOT, 'test/support/no-network.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a minimal environment (PATH and HOME only): tests control every variable. */
  env?: Record<string, string>;
  input?: string;
  /** Load a guard that kills the process with exit 99 if it touches the network. */
  offline?: boolean;
  timeoutMs?: number;
}

export interface RunningCli {
  /** Resolves with the first stdout match of the pattern; rejects if the process ends first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends a signal (unless the process already ended) and resolves with its result. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  /** Resolves with the result when the process ends by itself. */
  done(): Promise<CliResult>;
  output(): { stdout: string; stderr: string };
}

/** Starts the built CLI as a child process, as a user would. */
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
  let stdout = '';
  let stderr = '';
  let exit: number | null | undefined;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    notify();
  });
  const closed = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      exit = code;
      notify();
      resolve({ code, stdout, stderr });
    });
  });
  child.stdin.end(options.input ?? '');
  return {
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`timed out waiting for ${pattern}; stdout: ${stdout}; stderr: ${stderr}`),
          );
        }, timeoutMs);
        const check = () => {
          const m = stdout.match(pattern);
          if (m || exit !== undefined) {
            clearTimeout(timer);
            listeners.delete(check);
            if (m) resolve(m);
            else
              reject(
                new Error(
                  `exited with ${exit} before ${pattern}; stdout: ${stdout}; stderr: ${stderr}`,
                ),
              );
          }
        };
        listeners.add(check);
        check();
      });
    },
    stop(signal = 'SIGINT') {
      if (exit === undefined) child.kill(signal);
      return closed;
    },
    done: () => closed,
    output: () => ({ stdout, stderr }),
  };
}

/** Runs the built CLI to completion (killed after `timeoutMs`, default 20 s). */
export async function runCli(
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const running = startCli(args, options);
  const timer = setTimeout(() => running.stop('SIGKILL'), options.timeoutMs ?? 20_000);
  try {
    return await running.done();
  } finally {
    clearTimeout(timer);
  }
}
