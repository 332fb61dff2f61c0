import type { Statement } from '../model.js';
import { globMatch, parseSpecifier } from './specifier.js';

/** A concrete resource: kind/name segments, each with its tags. */
export interface Resource {
  segments: { kind: string; name: string; tags: string[] }[];
}

/** LaunchDarkly's documented default for a webhook without statements. */
export const DEFAULT_STATEMENT: Statement = {
  effect: 'allow',
  resources: ['proj/*:env/production:flag/*'],
  actions: ['*'],
};

/** Whether a specifier pattern matches a concrete resource (all pattern tags must match: AND). */
export function specifierMatches(pattern: string, resource: Resource): boolean {
  const p = parseSpecifier(pattern);
  if (p.any) return true;
  if (p.issues.some((i) => i.severity === 'error')) return false;
  if (p.segments.length !== resource.segments.length) return false;
  return p.segments.every((seg, i) => {
    const r = resource.segments[i] as Resource['segments'][number];
    return (
      seg.kind === r.kind &&
      globMatch(seg.name, r.name) &&
      seg.tags.every((t) => r.tags.some((rt) => globMatch(t, rt)))
    );
  });
}

export function statementMatches(s: Statement, resource: Resource, action: string): boolean {
  const resourceOk = s.resources
    ? s.resources.some((r) => specifierMatches(r, resource))
    : !(s.notResources ?? []).some((r) => specifierMatches(r, resource));
  const actionOk = s.actions
    ? s.actions.some((a) => globMatch(a, action))
    : !(s.notActions ?? []).some((a) => globMatch(a, action));
  return resourceOk && actionOk;
}

export interface Decision {
  received: boolean;
  /** Index of the deciding statement, or undefined when none matched (or the default decided). */
  statement?: number;
  byDefault: boolean;
  reason: string;
}

/**
 * LaunchDarkly's semantics: a matching deny beats any allow; what no statement allows is not
 * sent; order does not matter; no statements at all means the documented default.
 */
export function decide(
  statements: readonly Statement[],
  resource: Resource,
  action: string,
): Decision {
  if (statements.length === 0) {
    const received = statementMatches(DEFAULT_STATEMENT, resource, action);
    return {
      received,
      byDefault: true,
      reason: `no statements: LaunchDarkly's default sends flag changes in production environments only${received ? '' : ', and this is not one'}`,
    };
  }
  const deny = statements.findIndex(
    (s) => s.effect === 'deny' && statementMatches(s, resource, action),
  );
  if (deny !== -1)
    return {
      received: false,
      statement: deny,
      byDefault: false,
      reason: 'denied (a deny beats any allow)',
    };
  const allow = statements.findIndex(
    (s) => s.effect === 'allow' && statementMatches(s, resource, action),
  );
  if (allow !== -1)
    return { received: true, statement: allow, byDefault: false, reason: 'allowed' };
  return { received: false, byDefault: false, reason: 'no statement allows it' };
}

/** Parses `--resource`: a concrete resource, no globs; `;tags` on a segment are its tags. */
export function parseResource(text: string): { resource?: Resource; error?: string } {
  const p = parseSpecifier(text);
  const error = p.issues.find((i) => i.severity === 'error');
  if (error) return { error: `${error.message}${error.remedy ? ` (${error.remedy})` : ''}` };
  if (p.any || p.segments.some((s) => s.name.includes('*'))) {
    return {
      error:
        'the resource must be concrete, without *: for example proj/mobile:env/production:flag/checkout',
    };
  }
  return {
    resource: {
      segments: p.segments.map((s) => ({ kind: s.kind, name: s.name, tags: [...s.tags] })),
    },
  };
}
