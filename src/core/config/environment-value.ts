import type { SourceDocument } from '../source.js';
import type { VariableRead } from './interpolate.js';

/**
 * A value of the config that came wholly or partly from the environment, as a problem may speak
 * of it: its template as written (`${SLACK_WEBHOOK_URL}`, `https://${HOST}/in`) and the variables
 * it read, with whether each was empty. Never the value: a message names the variables, and its
 * remedy says to set them, not to edit the file.
 */
export interface EnvironmentValue {
  /** The text as written, `${NAME}` references and all. */
  template: string;
  variables: readonly VariableRead[];
}

/** The environment value at `pointer`, or undefined when it was written in the file. */
export function environmentValue(
  doc: SourceDocument,
  pointer: string,
): EnvironmentValue | undefined {
  if (!doc.isSensitive(pointer)) return undefined;
  const template = doc.templateOf(pointer);
  const variables = doc.variablesOf(pointer);
  return template === undefined || variables.length === 0 ? undefined : { template, variables };
}

/** `"${SLACK_WEBHOOK_URL}" (from the environment, not shown)`: where a message quotes a value. */
export function shownFromEnvironment(value: EnvironmentValue): string {
  return `"${value.template}" (from the environment, not shown)`;
}

/** Whether the value is nothing but one variable, so that setting it sets the whole value. */
const whole = (value: EnvironmentValue) =>
  value.variables.length === 1 && value.template === `\${${value.variables[0]?.name}}`;

const names = (list: readonly VariableRead[]) => {
  const all = list.map((v) => v.name);
  return all.length <= 1 ? (all[0] ?? '') : `${all.slice(0, -1).join(', ')} and ${all.at(-1)}`;
};

/**
 * The variables that gave nothing (empty, or only whitespace), as a message says it:
 * `environment variable SLACK_WEBHOOK_URL is empty`; undefined when every one gave something.
 */
export function emptyVariables(value: EnvironmentValue): string | undefined {
  const empty = value.variables.filter((v) => v.state === 'empty');
  const blank = value.variables.filter((v) => v.state === 'blank');
  if (empty.length === 0 && blank.length === 0) return undefined;
  const said = (list: readonly VariableRead[], one: string, many: string) =>
    list.length === 1 ? `${list[0]?.name} ${one}` : `${names(list)} ${many}`;
  const parts = [
    ...(empty.length > 0 ? [said(empty, 'is empty', 'are empty')] : []),
    ...(blank.length > 0 ? [said(blank, 'holds only whitespace', 'hold only whitespace')] : []),
  ];
  const count = empty.length + blank.length;
  return `environment variable${count === 1 ? '' : 's'} ${parts.join(', and ')}`;
}

/**
 * A problem's message for a value from the environment that breaks `rule`: with an empty
 * variable, `url must be an absolute http(s) URL, but environment variable X is empty` (and the
 * template when the value is more than that variable); else `literal` with the value quoted by
 * its template.
 */
export function environmentMessage(
  value: EnvironmentValue,
  subject: string,
  rule: string,
  literal: (shown: string) => string,
): string {
  const empty = emptyVariables(value);
  if (empty === undefined) return literal(shownFromEnvironment(value));
  return `${subject} ${rule}, but ${empty}${whole(value) ? '' : ` (in "${value.template}")`}`;
}

/**
 * What to do about a value from the environment that breaks a rule: set its variables, not edit
 * the file. `need` says what the value must be: `a full URL such as https://…`.
 */
export function environmentRemedy(value: EnvironmentValue, need: string): string {
  const empty = emptyVariables(value);
  const nothing = value.variables.filter((v) => v.state !== 'set');
  if (empty !== undefined) {
    const what = whole(value) ? `to ${need}` : `so that "${value.template}" gives ${need}`;
    return `set ${names(nothing)} ${what}; in CI, check that the secret it is set from exists and is named the same`;
  }
  if (whole(value)) return `set ${names(value.variables)} to ${need}`;
  return `check ${names(value.variables)} in the environment: "${value.template}" must give ${need}`;
}
