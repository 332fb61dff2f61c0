// How the GitHub Actions runner reads what a step writes, modelled on its source
// (actions/runner: the file commands' parser, ActionCommand.TryParseV2 and TryParse), for the
// tests to read the action's outputs and log as the runner would.

/**
 * The entries of a file command (GITHUB_OUTPUT, GITHUB_ENV): lines split at \n, each `NAME=VALUE`
 * (when `=` comes before any `<<`) or `NAME<<DELIMITER`, the value's lines and DELIMITER alone on
 * a line. A later entry of a name replaces an earlier one; a malformed file throws, as the runner
 * fails the step.
 */
export function readFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  let index = 0;
  const readLine = (): string | undefined => {
    if (index >= text.length) return undefined;
    const lf = text.indexOf('\n', index);
    const end = lf < 0 ? text.length : lf;
    const line = text.slice(index, end);
    index = lf < 0 ? text.length : lf + 1;
    return line;
  };
  for (let line = readLine(); line !== undefined; line = readLine()) {
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      values[line.slice(0, equals)] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (!name || !delimiter) throw new Error(`invalid file command line: ${line}`);
      const start = index;
      let end = index;
      for (let next = readLine(); next !== delimiter; next = readLine()) {
        if (next === undefined) throw new Error(`no delimiter ${delimiter} for ${name}`);
        end = index - 1;
      }
      values[name] = end > start ? text.slice(start, end) : '';
    } else throw new Error(`invalid file command line: ${line}`);
  }
  return values;
}

/** .NET's TrimStart: the whitespace it strips, line breaks aside (the log is split at them). */
const DOTNET_LEADING_SPACE = /^[\s\u0085\u180e]*/;

/**
 * The lines of a step's output that the runner reads as workflow commands: after leading
 * whitespace `::NAME …::`, or `##[NAME …]` anywhere in the line (the older syntax). The runner
 * splits the output into lines at \n, \r and \r\n.
 */
export function workflowCommands(log: string): string[] {
  return log.split(/\r\n|\r|\n/).filter((line) => {
    const trimmed = line.replace(DOTNET_LEADING_SPACE, '');
    if (trimmed.startsWith('::') && trimmed.indexOf('::', 2) > 2) return true;
    const prefix = line.indexOf('##[');
    return prefix >= 0 && line.indexOf(']', prefix) > prefix;
  });
}
