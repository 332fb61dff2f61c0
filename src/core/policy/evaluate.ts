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

/**
 * How a pattern meets a resource. `maybe`: everything matches but a `{property:value}`
 * selector, which ldhooks cannot evaluate: it does not know the properties of resources.
 */
export type Match = 'yes' | 'no' | 'maybe';

export interface Matched {
  match: Match;
  /** The selectors a `maybe` depends on, as written: `{kind:boolean}`. */
  selectors: string[];
}

const YES: Matched = { match: 'yes', selectors: [] };
const NO: Matched = { match: 'no', selectors: [] };

/** Whether a specifier pattern matches a concrete resource (all pattern tags must match: AND). */
export function specifierMatch(pattern: string, resource: Resource): Matched {
  // A value not known (an unset variable, allowed): whether it matches cannot be told.
  const unknown = unknownsIn(pattern);
  if (unknown.length > 0) return { match: 'maybe', selectors: unknown };
  const p = parseSpecifier(pattern);
  if (p.any) return YES;
  if (p.issues.some((i) => i.severity === 'error')) return NO;
  if (p.segments.length !== resource.segments.length) return NO;
  const shapeMatches = p.segments.every((seg, i) => {
    const r = resource.segments[i] as Resource['segments'][number];
    return (
      seg.kind === r.kind &&
      globMatch(seg.name, r.name) &&
      seg.tags.every((t) => r.tags.some((rt) => globMatch(t, rt)))
    );
  });
  if (!shapeMatches) return NO;
  const selectors = p.segments.flatMap((s) =>
    s.selector ? [`{${s.selector.property}:${s.selector.value}}`] : [],
  );
  return selectors.length > 0 ? { match: 'maybe', selectors } : YES;
}

/** Whether a pattern matches, taking every selector it has as holding. */
export function specifierMatches(pattern: string, resource: Resource): boolean {
  return specifierMatch(pattern, resource).match !== 'no';
}

/** The best match of a list: yes if one matches outright, else maybe if one may. */
function anyOf(patterns: readonly string[], resource: Resource): Matched {
  const results = patterns.map((p) => specifierMatch(p, resource));
  if (results.some((r) => r.match === 'yes')) return YES;
  const maybes = results.filter((r) => r.match === 'maybe');
  return maybes.length > 0 ? { match: 'maybe', selectors: maybes.flatMap((r) => r.selectors) } : NO;
}

/** The `${NAME}` references a value still holds: it was read with its variables unset. */
function unknownsIn(value: string): string[] {
  return [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => `\${${m[1]}}`);
}

export function statementMatch(s: Statement, resource: Resource, action: string): Matched {
  const list = s.actions ?? s.notActions ?? [];
  const known = list.filter((a) => unknownsIn(a).length === 0);
  const unknown = list.flatMap(unknownsIn);
  const hit = known.some((a) => globMatch(a, action));
  // An action the statement names is certain; one behind an unknown value only may be.
  if (s.actions ? !hit && unknown.length === 0 : hit) return NO;
  const actionMaybe = s.actions ? (hit ? [] : unknown) : unknown;
  const resourceMatch = s.resources
    ? anyOf(s.resources, resource)
    : ((excluded) => (excluded.match === 'yes' ? NO : excluded.match === 'maybe' ? excluded : YES))(
        anyOf(s.notResources ?? [], resource),
      );
  if (actionMaybe.length === 0 || resourceMatch.match === 'no') return resourceMatch;
  return { match: 'maybe', selectors: [...actionMaybe, ...resourceMatch.selectors] };
}

export function statementMatches(s: Statement, resource: Resource, action: string): boolean {
  return statementMatch(s, resource, action).match !== 'no';
}

export interface Decision {
  /** Received for certain; false when it depends on a selector (see `mayReceive`). */
  received: boolean;
  /** Received or not depending on selectors ldhooks cannot evaluate (`dependsOn`). */
  mayReceive: boolean;
  /** The selectors the answer depends on, as written; empty when it is certain. */
  dependsOn: string[];
  /** Index of the deciding statement, or undefined when none matched (or the default decided). */
  statement?: number;
  byDefault: boolean;
  reason: string;
}

const uniqueSelectors = (list: readonly Matched[]) => [
  ...new Set(list.flatMap((m) => m.selectors)),
];

/** The words for a decision that depends on selectors: the same in text and JSON. */
export function mayReceiveReason(dependsOn: readonly string[], why: string): string {
  const cannot = [
    ...(dependsOn.some((d) => d.startsWith('{')) ? ['{property:value} selectors'] : []),
    ...(dependsOn.some((d) => d.startsWith('${')) ? ['values of variables that are not set'] : []),
  ];
  return `may receive, depending on ${dependsOn.join(', ')}: ${why}; ldhooks cannot evaluate ${cannot.join(' or ')}`;
}

/**
 * LaunchDarkly's semantics: a matching deny beats any allow; what no statement allows is not
 * sent; order does not matter; no statements at all means the documented default. Where a
 * selector decides, the answer is "may receive", never "receives".
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
      mayReceive: false,
      dependsOn: [],
      byDefault: true,
      reason: `no statements: LaunchDarkly's default sends flag changes in production environments only${received ? '' : ', and this is not one'}`,
    };
  }
  const matches = statements.map((s) => statementMatch(s, resource, action));
  const find = (effect: Statement['effect'], match: Match) =>
    statements.findIndex((s, i) => s.effect === effect && matches[i]?.match === match);
  const deny = find('deny', 'yes');
  if (deny !== -1)
    return {
      received: false,
      mayReceive: false,
      dependsOn: [],
      statement: deny,
      byDefault: false,
      reason: 'denied (a deny beats any allow)',
    };
  const maybeDenies = matches.filter(
    (m, i) => statements[i]?.effect === 'deny' && m.match === 'maybe',
  );
  const allow = find('allow', 'yes');
  if (allow !== -1 && maybeDenies.length === 0)
    return {
      received: true,
      mayReceive: false,
      dependsOn: [],
      statement: allow,
      byDefault: false,
      reason: 'allowed',
    };
  if (allow !== -1) {
    const dependsOn = uniqueSelectors(maybeDenies);
    return {
      received: false,
      mayReceive: true,
      dependsOn,
      statement: allow,
      byDefault: false,
      reason: mayReceiveReason(
        dependsOn,
        'allowed, unless a deny that depends on the selector applies',
      ),
    };
  }
  const maybeAllow = find('allow', 'maybe');
  if (maybeAllow !== -1) {
    const maybeAllows = matches.filter(
      (m, i) => statements[i]?.effect === 'allow' && m.match === 'maybe',
    );
    const dependsOn = uniqueSelectors([...maybeAllows, ...maybeDenies]);
    return {
      received: false,
      mayReceive: true,
      dependsOn,
      statement: maybeAllow,
      byDefault: false,
      reason: mayReceiveReason(dependsOn, 'the statement that allows it depends on the selector'),
    };
  }
  return {
    received: false,
    mayReceive: false,
    dependsOn: [],
    byDefault: false,
    reason: 'no statement allows it',
  };
}

/** Parses `--resource`: a concrete resource, no globs; `;tags` on a segment are its tags. */
export function parseResource(text: string): {
  resource?: Resource;
  error?: string;
  /** What may be a typo but is not wrong: an unknown kind (`flg`, did you mean `flag`?). */
  warnings?: string[];
} {
  const p = parseSpecifier(text);
  const said = (i: (typeof p.issues)[number]) => `${i.message}${i.remedy ? ` (${i.remedy})` : ''}`;
  const error = p.issues.find((i) => i.severity === 'error');
  if (error) return { error: said(error) };
  if (p.any || p.segments.some((s) => s.name.includes('*'))) {
    return {
      error:
        'the resource must be concrete, without *: for example proj/mobile:env/production:flag/checkout',
    };
  }
  const warnings = p.issues.filter((i) => i.severity === 'warning').map(said);
  return {
    resource: {
      segments: p.segments.map((s) => ({ kind: s.kind, name: s.name, tags: [...s.tags] })),
    },
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
