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

/**
 * A variable a value read, and whether what it gave is empty or only whitespace: a CI secret
 * that is missing, or named otherwise, arrives as an empty variable. Never the value itself.
 */
export interface VariableRead {
  name: string;
  state: 'set' | 'empty' | 'blank';
}

export interface Interpolated {
  value: string;
  /** True when at least one `${NAME}` was replaced: the value is then sensitive. */
  fromEnv: boolean;
  /** The variables replaced, each once, in the order they first appear. */
  variables: VariableRead[];
  issues: InterpolationIssue[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function interpolate(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): Interpolated {
  if (!text.includes('$')) return { value: text, fromEnv: false, variables: [], issues: [] };
  let out = '';
  let fromEnv = false;
  const variables: VariableRead[] = [];
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
        if (!variables.some((v) => v.name === name)) {
          const state = value === '' ? 'empty' : value.trim() === '' ? 'blank' : 'set';
          variables.push({ name, state });
        }
      }
      i = end + 1;
      continue;
    }
    out += ch;
    i += 1;
  }
  return { value: out, fromEnv, variables, issues };
}
