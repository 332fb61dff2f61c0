/**
 * `${NAME}` reads an environment variable; `$${` is a literal `${`. Any other `$` is kept.
 * Pure: the environment is passed in.
 */
export interface InterpolationIssue {
  /** Offset inside the string where the reference starts. */
  offset: number;
  code: 'env.unset' | 'env.malformed';
  /** The variable, for an unset one. */
  name?: string;
  message: string;
  remedy: string;
}

export interface Interpolated {
  value: string;
  /** True when at least one `${NAME}` was replaced: the value is then sensitive. */
  fromEnv: boolean;
  issues: InterpolationIssue[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function interpolate(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): Interpolated {
  if (!text.includes('$')) return { value: text, fromEnv: false, issues: [] };
  let out = '';
  let fromEnv = false;
  const issues: InterpolationIssue[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '$' && text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      const name = end === -1 ? text.slice(i + 2) : text.slice(i + 2, end);
      if (end === -1 || !NAME.test(name)) {
        const shown = end === -1 ? text.slice(i, i + 40) : text.slice(i, end + 1);
        issues.push({
          offset: i,
          code: 'env.malformed',
          message: `malformed variable reference "${shown}"`,
          remedy: 'write ${NAME} with a name of letters, digits and _, or $${ for a literal ${',
        });
        out += end === -1 ? text.slice(i) : text.slice(i, end + 1);
        i = end === -1 ? text.length : end + 1;
        continue;
      }
      const value = env[name];
      if (value === undefined) {
        issues.push({
          offset: i,
          code: 'env.unset',
          name,
          message: `environment variable ${name} is not set`,
          remedy: `set ${name} in the environment, or write $\${${name}} for a literal`,
        });
      } else {
        out += value;
        fromEnv = true;
      }
      i = end + 1;
      continue;
    }
    out += ch;
    i += 1;
  }
  return { value: out, fromEnv, issues };
}
