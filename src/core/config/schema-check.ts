import type { ErrorObject, ValidateFunction } from 'ajv';
import { joinPointer, pointerSegments, pointerToPath } from '../pointer.js';
import type { Problem } from '../problem.js';
import type { SourceDocument } from '../source.js';
import { closest } from '../suggest.js';
import compiledValidator from './config-validator.generated.js';
import {
  environmentMessage,
  environmentRemedy,
  environmentValue,
  shownFromEnvironment,
} from './environment-value.js';
import { OWNER_TAG_PREFIX, TAG_PATTERN } from './schema.js';

/**
 * The config schema (schema.ts), compiled when ldhooks is built rather than at every start
 * (scripts/build-validators.mjs): the same errors as compiling it now, without loading ajv.
 */
const validate = compiledValidator as ValidateFunction;

export interface SchemaCheck {
  /** Every failure, located. */
  problems: Problem[];
  /** Webhooks (by index) with a failure of their own: the rules after the schema skip them. */
  brokenWebhooks: ReadonlySet<number>;
  /**
   * A failure that changes what the webhooks mean (their list, the defaults, the owner tag, the
   * document itself): no webhook of the document can be checked further.
   */
  documentBroken: boolean;
}

/** Checks one document against the config schema; every failure becomes a located problem. */
export function checkSchema(doc: SourceDocument): SchemaCheck {
  const brokenWebhooks = new Set<number>();
  if (validate(doc.value)) return { problems: [], brokenWebhooks, documentBroken: false };
  const problems: Problem[] = [];
  const seen = new Set<string>();
  let documentBroken = false;
  for (const err of validate.errors ?? []) {
    // anyOf branches report their own failures; the anyOf error itself says it better.
    if (err.schemaPath.includes('/anyOf/')) continue;
    // A value whose variable is unset was reported by the loader; its stand-in proves nothing.
    // A placeholder is text whatever its variable holds: a string where another type belongs
    // is wrong either way, so only the checks of the text's content are passed by.
    const hook = webhookIndex(err.instancePath);
    if (
      doc.isUnresolved(err.instancePath) &&
      (err.keyword !== 'type' || typeof err.data !== 'string')
    ) {
      // An alias to no anchor stands in as null: nothing can be built from it, though its
      // problem is the loader's to tell. Only a placeholder's text is passed on.
      if (typeof err.data !== 'string') {
        if (hook !== undefined) brokenWebhooks.add(hook);
        else documentBroken = true;
      }
      continue;
    }
    if (hook !== undefined) brokenWebhooks.add(hook);
    else if (!harmless(err)) documentBroken = true;
    const problem = translate(err, doc);
    const key = `${problem.line}:${problem.col}:${problem.path}:${problem.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return { problems, brokenWebhooks, documentBroken };
}

/** The webhook a failure belongs to: `/webhooks/3/url` belongs to webhook 3. */
function webhookIndex(pointer: string): number | undefined {
  const [list, index] = pointerSegments(pointer);
  return list === 'webhooks' && index !== undefined && /^\d+$/.test(index)
    ? Number(index)
    : undefined;
}

/** Outside the webhooks, an unknown key or a wrong version leaves the webhooks' meaning intact. */
function harmless(err: ErrorObject): boolean {
  if (err.keyword === 'additionalProperties') return true;
  if (err.instancePath === '/version') return true;
  return (
    err.keyword === 'required' &&
    err.instancePath === '' &&
    err.params.missingProperty === 'version'
  );
}

function translate(err: ErrorObject, doc: SourceDocument): Problem {
  const pointer = err.instancePath;
  const value = err.data;
  const field = lastKey(pointer);
  const base = (
    code: string,
    at: string,
    message: string,
    remedy?: string,
    preferKey = false,
  ): Problem => ({
    severity: 'error',
    code,
    file: doc.file,
    ...doc.locate(at, preferKey),
    path: pointerToPath(at),
    message,
    ...(remedy ? { remedy } : {}),
  });
  // A value from the environment is quoted by its template, and what to do about it is to set
  // its variables, never to edit the text of the file.
  const env = typeof value === 'string' ? environmentValue(doc, pointer) : undefined;
  const shown = (v: unknown) =>
    env
      ? shownFromEnvironment(env)
      : doc.isSensitive(pointer)
        ? '(a value from the environment, not shown)'
        : JSON.stringify(v);
  /** A value that breaks `rule`; `need` says what it must be, for a value from the environment. */
  const broken = (
    code: string,
    subject: string,
    rule: string,
    need: string,
    literal: (shown: string) => string,
    remedy?: string,
  ): Problem =>
    env
      ? base(
          code,
          pointer,
          environmentMessage(env, subject, rule, literal),
          environmentRemedy(env, need),
        )
      : base(code, pointer, literal(shown(value)), remedy);

  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(err.params.additionalProperty);
      const allowed = Object.keys((err.parentSchema as { properties?: object }).properties ?? {});
      const guess = closest(key, allowed);
      return base(
        'schema.unknown-key',
        joinPointer(pointer, key),
        `unknown key "${key}"`,
        guess ? `did you mean "${guess}"?` : `allowed keys here: ${allowed.join(', ')}`,
        true,
      );
    }
    case 'required': {
      const key = String(err.params.missingProperty);
      return base(
        'schema.missing-key',
        pointer,
        `missing required key "${key}"`,
        REQUIRED_REMEDY[key],
      );
    }
    case 'type': {
      const expected = String(err.params.type);
      const actual = typeName(value);
      if (pointer === '') {
        return base(
          'schema.not-a-config',
          pointer,
          `the document is ${article(actual)}, not a mapping`,
          'a config document is a mapping with "version: 1" and "webhooks:"; is this a YAML config file?',
        );
      }
      let remedy: string | undefined;
      const template = typeof value === 'string' ? doc.templateOf(pointer) : undefined;
      if (template !== undefined) {
        // Whatever the variables hold, a value from the environment is text: never judged by it.
        remedy = `"${template}" is text whatever the environment holds: write ${WRITE[expected] ?? 'the value'} in the file instead`;
      } else if (
        expected === 'boolean' &&
        typeof value === 'string' &&
        /^(true|false)$/i.test(value)
      ) {
        remedy = 'write true or false without quotes';
      } else if (expected === 'boolean') remedy = 'write true or false';
      else if (expected === 'array') remedy = 'write a list: [a, b] or one "- item" per line';
      else if (expected === 'string')
        remedy = 'write text; quote it if YAML reads it as another type';
      else if (expected === 'object') remedy = 'write a mapping of key: value lines';
      return base(
        'schema.type',
        pointer,
        `${field} must be ${article(expected)}, not ${article(actual)}`,
        remedy,
      );
    }
    case 'const':
      return broken(
        'config.version',
        'version',
        'must be 1',
        '1',
        (v) => `unsupported config version ${v}`,
        'set "version: 1"; it is the only version this ldhooks reads',
      );
    case 'enum': {
      const allowed = (err.params.allowedValues as string[]).map(String);
      // Never a suggestion from a value of the environment: it would tell what the value is close to.
      const guess = typeof value === 'string' && !env ? closest(value, allowed) : undefined;
      const rule = `must be ${allowed.map((a) => `"${a}"`).join(' or ')}`;
      return broken(
        'schema.enum',
        field,
        rule,
        allowed.join(' or '),
        (v) => `${field} ${rule}, not ${v}`,
        guess ? `did you mean "${guess}"?` : `write one of ${allowed.join(', ')}`,
      );
    }
    case 'pattern':
    case 'format': {
      if (field === 'url') {
        return broken(
          'schema.url',
          'url',
          'must be an absolute http(s) URL',
          'a full URL such as https://hooks.example.com/launchdarkly',
          (v) => `url must be an absolute http(s) URL, not ${v}`,
          'write a full URL such as https://hooks.example.com/launchdarkly',
        );
      }
      if (field === 'ownerTag' && pointerSegments(pointer).length === 1) {
        const problem = ownerTagProblem(value, shown(value), doc.isSensitive(pointer), (m, r) =>
          base('schema.owner-tag', pointer, m, r),
        );
        return env
          ? broken(
              'schema.owner-tag',
              'ownerTag',
              `must be "${OWNER_TAG_PREFIX}" followed by a name`,
              `"${OWNER_TAG_PREFIX}" followed by 1 to 53 letters, digits, ".", "_" or "-"`,
              () => problem.message,
            )
          : problem;
      }
      if (pointerSegments(pointer).includes('tags')) {
        return broken(
          'schema.tag',
          'tag',
          "must follow LaunchDarkly's tag rule",
          'a tag of 1 to 64 letters, digits, ".", "_" or "-"',
          (v) => `tag ${v} breaks LaunchDarkly's tag rule`,
          'use 1 to 64 letters, digits, ".", "_" or "-"',
        );
      }
      return broken(
        'schema.pattern',
        field,
        err.message ?? 'is not valid',
        'a valid value',
        () => `${field} ${err.message ?? 'is not valid'}`,
      );
    }
    case 'minLength':
      return broken(
        'schema.empty',
        field,
        'must not be empty',
        NEED[lastName(pointer)] ?? 'a value',
        () => `${field} must not be empty`,
        'give it a value or remove the key',
      );
    case 'minItems':
      return base(
        'schema.empty-list',
        pointer,
        `${field} must not be an empty list`,
        field === 'actions' || field === 'notActions'
          ? 'list at least one action, or ["*"] for all'
          : 'list at least one resource specifier, such as "proj/*:env/production:flag/*"',
      );
    case 'anyOf': {
      const actions = err.schemaPath.includes('/allOf/');
      return actions
        ? base(
            'statement.no-actions',
            pointer,
            'a statement needs actions or notActions',
            'add actions: ["*"] for every action, or list the actions',
          )
        : base(
            'statement.no-resources',
            pointer,
            'a statement needs resources or notResources',
            'add resources: ["proj/*:env/production:flag/*"] or notResources: [...]',
          );
    }
    case 'not': {
      if (pointerSegments(pointer).includes('tags')) {
        return broken(
          'schema.owner-tag-in-tags',
          'tag',
          `must not start with "${OWNER_TAG_PREFIX}"`,
          `a tag that does not start with ${OWNER_TAG_PREFIX}; a config sets its own owner tag with ownerTag`,
          (v) => `tag ${v} is an owner tag: it would mark the webhook as owned by that config too`,
          'remove it from tags; a config sets its own owner tag with ownerTag, and takes a webhook over from another with --takeover-from',
        );
      }
      const actions = err.schemaPath.includes('/dependentSchemas/actions/');
      const [one, other] = actions ? ['actions', 'notActions'] : ['resources', 'notResources'];
      return base(
        actions ? 'statement.both-actions' : 'statement.both-resources',
        joinPointer(pointer, other),
        `a statement takes ${one} or ${other}, not both`,
        `keep one of ${one} and ${other}; split the statement in two if you need both`,
        true,
      );
    }
    default:
      return broken(
        `schema.${err.keyword}`,
        field,
        err.message ?? 'is not valid',
        'a valid value',
        () => `${field} ${err.message ?? 'is not valid'}`,
      );
  }
}

/** What to write for a type, in a remedy. */
const WRITE: Record<string, string> = {
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  integer: 'a number',
  number: 'a number',
};

/** What a value must be, by its key, for the remedy of an empty value from the environment. */
const NEED: Record<string, string> = {
  name: "the webhook's name",
  secret: 'the signing secret',
  resources: 'a resource specifier such as proj/*:env/production:flag/*',
  notResources: 'a resource specifier such as proj/*:env/production:flag/*',
  actions: 'an action such as updateOn',
  notActions: 'an action such as updateOn',
  tags: 'a tag',
};

/** The last key of a pointer that is not a list index: `resources` for `/…/resources/0`. */
function lastName(pointer: string): string {
  return pointerSegments(pointer).findLast((s) => !/^\d+$/.test(s)) ?? '';
}

const REQUIRED_REMEDY: Record<string, string> = {
  version: 'add "version: 1" to the document',
  webhooks: 'add "webhooks:" with a list of webhooks ([] declares none)',
  name: "add a name that is unique across all files: it is the webhook's identity",
  url: 'add the URL LaunchDarkly posts to, for example url: ${SLACK_WEBHOOK_URL}',
  effect: 'add effect: allow or effect: deny',
};

/**
 * An owner tag that is not "managed-by-" and a name: said with the tag to write instead, when
 * there is one (never built from a value of the environment).
 */
function ownerTagProblem(
  value: unknown,
  shown: string,
  fromEnvironment: boolean,
  make: (message: string, remedy: string) => Problem,
): Problem {
  const message = `ownerTag ${shown} must start with "${OWNER_TAG_PREFIX}": owner tags are how every config recognises the webhooks another config owns`;
  const rule = `"${OWNER_TAG_PREFIX}" followed by 1 to 53 letters, digits, ".", "_" or "-"`;
  const candidate =
    typeof value === 'string' && !value.startsWith(OWNER_TAG_PREFIX)
      ? `${OWNER_TAG_PREFIX}${value}`
      : undefined;
  if (candidate && !fromEnvironment && new RegExp(TAG_PATTERN).test(candidate)) {
    return make(
      message,
      `write ownerTag: ${candidate} (${rule}); webhooks already tagged ${JSON.stringify(value)} in LaunchDarkly are then unmanaged: adopt them (adopt: true or --adopt) once`,
    );
  }
  return make(
    typeof value === 'string' && value.startsWith(OWNER_TAG_PREFIX)
      ? `ownerTag ${shown} breaks the owner tag rule`
      : message,
    `write ${rule}, such as managed-by-team-payments`,
  );
}

function lastKey(pointer: string): string {
  const segments = pointerSegments(pointer);
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i] as string;
    if (!/^\d+$/.test(s)) return i === segments.length - 1 ? s : `each item of ${s}`;
  }
  return 'the document';
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    boolean: 'a boolean',
    integer: 'an integer',
    number: 'a number',
    null: 'empty (null)',
  };
  return words[type] ?? type;
}
