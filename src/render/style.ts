/** How text output is coloured. Renderers take a style; only the CLI decides which. */
export interface TextStyle {
  create(s: string): string;
  update(s: string): string;
  delete(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const plainStyle: TextStyle = {
  create: (s) => s,
  update: (s) => s,
  delete: (s) => s,
  dim: (s) => s,
  bold: (s) => s,
};

const ansi = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const colorStyle: TextStyle = {
  create: ansi(32, 39),
  update: ansi(33, 39),
  delete: ansi(31, 39),
  dim: ansi(2, 22),
  bold: ansi(1, 22),
};

/**
 * Colour only on a terminal, unless told otherwise: --no-color and NO_COLOR (any non-empty
 * value) turn it off; FORCE_COLOR turns it on, except FORCE_COLOR=0 or false, which turn it
 * off even on a terminal, as Node and the colour libraries read it.
 */
export function wantsColor(options: {
  flag: boolean | undefined;
  env: Readonly<Record<string, string | undefined>>;
  isTTY: boolean | undefined;
}): boolean {
  if (options.flag === false) return false;
  if (options.env.NO_COLOR) return false;
  const force = options.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return Boolean(options.isTTY);
}
