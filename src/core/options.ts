/**
 * Checks of what a library caller passes, at the entry: a wrong type is a TypeError and a
 * number out of range a RangeError, each naming the function and the option, so that a mistake
 * never passes silently (a deletion guard given "x" must refuse, not switch off). The messages
 * say what was given by its kind only, never its value: an option may hold a secret.
 */

/** What a value is, for a message: never the value itself. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'undefined') return 'undefined';
  return `a ${typeof value}`;
}

/** A check of one option: undefined when the value is fine, else the error to throw. */
export type OptionCheck = (value: unknown, name: string) => Error | undefined;

const typeError = (name: string, what: string, value: unknown) =>
  new TypeError(`${name} must be ${what}, not ${kindOf(value)}`);

export const isBoolean: OptionCheck = (v, name) =>
  typeof v === 'boolean' ? undefined : typeError(name, 'true or false', v);

export const isString: OptionCheck = (v, name) =>
  typeof v === 'string' ? undefined : typeError(name, 'a string', v);

export const isFunction: OptionCheck = (v, name) =>
  typeof v === 'function' ? undefined : typeError(name, 'a function', v);

export const isStringList: OptionCheck = (v, name) =>
  Array.isArray(v) && v.every((s) => typeof s === 'string')
    ? undefined
    : typeError(name, 'a list of strings', v);

/** A number in a range; whole numbers only when `integer`. NaN and Infinity are out of range. */
export function isNumberIn(min: number, max: number, integer = false): OptionCheck {
  const what = `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;
  return (v, name) => {
    if (typeof v !== 'number') return typeError(name, what, v);
    if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v)))
      return new RangeError(`${name} must be ${what}, not ${kindOf(v)}`);
    return undefined;
  };
}

/** An environment: an object whose values are strings (or undefined: unset). */
export const isEnvironment: OptionCheck = (v, name) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return typeError(name, 'an object of environment variables (such as process.env)', v);
  for (const [key, value] of Object.entries(v)) {
    if (value !== undefined && typeof value !== 'string')
      return typeError(`${name}.${key}`, 'a string', value);
  }
  return undefined;
};

/** The values never to show: a list of `{ value, shown }` strings. */
export const isMaskEntries: OptionCheck = (v, name) =>
  Array.isArray(v) &&
  v.every(
    (e) =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as { value?: unknown }).value === 'string' &&
      typeof (e as { shown?: unknown }).shown === 'string',
  )
    ? undefined
    : typeError(name, 'a list of { value, shown } strings', v);

/**
 * Checks an options object against the checks of its options: undefined is no options; any
 * other non-object, an unknown option (a typo would silently fall back to a default) or a
 * value its check refuses throws. An option given as undefined is the default.
 */
export function checkOptions(
  entry: string,
  options: unknown,
  checks: Readonly<Record<string, OptionCheck>>,
): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw typeError(`${entry}: options`, 'an object', options);
  for (const [key, value] of Object.entries(options)) {
    const check = checks[key];
    if (!check) {
      throw new TypeError(
        `${entry}: unknown option ${JSON.stringify(key)}; the options are ${Object.keys(checks).join(', ')}`,
      );
    }
    if (value === undefined) continue;
    const error = check(value, `${entry}: options.${key}`);
    if (error) throw error;
  }
}
