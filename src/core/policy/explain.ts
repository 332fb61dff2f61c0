import { Masker } from '../mask.js';
import type { DesiredWebhook } from '../model.js';
import { CATALOG } from './catalog.js';
import { decide, type Resource } from './evaluate.js';

export interface Explanation {
  /** The name as shown: a name from the environment shows as its `${NAME}` template. */
  name: string;
  /** Receives the event for certain. */
  received: boolean;
  /** Receives it or not depending on `{property:value}` selectors ldhooks cannot evaluate. */
  mayReceive: boolean;
  /** Those selectors, as shown; empty when the answer is certain. */
  dependsOn: string[];
  reason: string;
  /** The statement that decided, where it is written; null when none did. */
  statement: { path: string; file: string; line: number; column: number; effect: string } | null;
  /** True when the webhook has no statements and LaunchDarkly's default decided. */
  byDefault: boolean;
}

const NOTHING_TO_MASK = new Masker([]);

/**
 * For every declared webhook: does it receive this event, and which statement decided? Pure.
 * Names and selectors are shown through the masker: they may come from the environment.
 */
export function explain(
  webhooks: readonly DesiredWebhook[],
  resource: Resource,
  action: string,
  masker: Masker = NOTHING_TO_MASK,
): Explanation[] {
  return webhooks.map((w) => {
    const shown = masker.prefer(w.sensitive);
    const sources = w.statementSources;
    const decision = decide(
      sources.map((s) => s.statement),
      resource,
      action,
    );
    const source = decision.statement !== undefined ? sources[decision.statement] : undefined;
    const off = !w.on && (decision.received || decision.mayReceive);
    const dependsOn = decision.dependsOn.map((d) => shown.string(d)[0]);
    return {
      name: shown.string(w.name)[0],
      received: decision.received && w.on,
      mayReceive: decision.mayReceive && w.on,
      dependsOn: w.on ? dependsOn : [],
      reason: off
        ? `the webhook is off (on: false), though its statements ${decision.received ? 'allow' : 'may allow'} it`
        : // The selectors are the one part of a reason that can hold a value from the environment.
          decision.reason.replace(decision.dependsOn.join(', '), dependsOn.join(', ')),
      statement: source
        ? {
            path: source.path,
            file: source.file,
            line: source.line,
            column: source.col,
            effect: source.statement.effect,
          }
        : null,
      byDefault: decision.byDefault,
    };
  });
}

export interface ActionsExplanation {
  /** The name as shown. */
  name: string;
  on: boolean;
  /** The actions of the catalog this webhook receives for certain (none when it is off). */
  received: string[];
  /** The actions it may receive, depending on selectors ldhooks cannot evaluate. */
  mayReceive: string[];
  /** Those selectors, as shown. */
  dependsOn: string[];
}

/**
 * `--action '*'`: every action the catalog knows for the resource's kind, and which of them
 * each webhook receives. Undefined when the catalog does not know the kind.
 */
export function explainActions(
  webhooks: readonly DesiredWebhook[],
  resource: Resource,
  masker: Masker = NOTHING_TO_MASK,
): { actions: string[]; webhooks: ActionsExplanation[] } | undefined {
  const kind = resource.segments.at(-1)?.kind;
  const actions = kind ? CATALOG[kind]?.actions : undefined;
  if (!actions) return undefined;
  const sorted = [...actions].sort();
  return {
    actions: sorted,
    webhooks: webhooks.map((w) => {
      const shown = masker.prefer(w.sensitive);
      const statements = w.statementSources.map((s) => s.statement);
      const decisions = w.on
        ? sorted.map((a) => [a, decide(statements, resource, a)] as const)
        : [];
      const may = decisions.filter(([, d]) => d.mayReceive);
      return {
        name: shown.string(w.name)[0],
        on: w.on,
        received: decisions.filter(([, d]) => d.received).map(([a]) => a),
        mayReceive: may.map(([a]) => a),
        dependsOn: [...new Set(may.flatMap(([, d]) => d.dependsOn))].map((s) => shown.string(s)[0]),
      };
    }),
  };
}
