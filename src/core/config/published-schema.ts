import { configSchema } from './schema.js';

/**
 * A value as written may hold `${NAME}` (the README's own `url: ${SLACK_WEBHOOK_URL}`), and is
 * checked only once interpolated. An editor sees the file as written, so the published schema
 * also accepts, for every string, any text that holds a reference.
 */
const TEMPLATED = {
  type: 'string',
  pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}',
  description:
    'A value read from the environment, as written: ${NAME} (checked once the variable is set).',
} as const;

type Json = unknown;

/** Whether a schema node checks a string's content (a pattern, a format, a list of values). */
function constrainsString(node: Record<string, Json>): boolean {
  return (
    node.type === 'string' &&
    ('pattern' in node || 'format' in node || 'minLength' in node || 'enum' in node)
  );
}

function withTemplates(node: Json): Json {
  if (Array.isArray(node)) return node.map(withTemplates);
  if (node === null || typeof node !== 'object') return node;
  const n = node as Record<string, Json>;
  // An enum without a type (effect) is a string list too.
  if (
    constrainsString(n) ||
    (Array.isArray(n.enum) && n.enum.every((v) => typeof v === 'string'))
  ) {
    const { description, ...rest } = n;
    return { ...(description ? { description } : {}), anyOf: [rest, TEMPLATED] };
  }
  return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, withTemplates(v)]));
}

/**
 * The schema `schemas/ldhooks.schema.json` publishes and `ldhooks schema` prints: the config
 * schema, with every checked string also accepting its `${NAME}` form. ldhooks itself validates
 * with `configSchema`, after interpolation, as strictly as ever.
 */
export const publishedConfigSchema = withTemplates(configSchema) as typeof configSchema;
