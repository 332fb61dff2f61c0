/** The types of action/lib.mjs, for the tests that call it. */
export function findNpmCli(where: {
  platform: string;
  execPath: string;
  env: Record<string, string | undefined>;
  isFile: (file: string) => boolean;
  realpath: (file: string) => string;
}): string | undefined;
export function inert(text: string): string;
export function inertStream(write: (text: string) => void): {
  write(text: string): void;
  end(): void;
};
export function fileCommandEntry(name: string, value: string, delimiter?: string): string;
export function signalOutcome(signal: string): { code: number; text: string };
export function shownArgs(args: readonly string[]): string;
