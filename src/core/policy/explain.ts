import type { DesiredWebhook } from '../model.js';
import { CATALOG } from './catalog.js';
import { decide, type Resource } from './evaluate.js';

export interface Explanation {
  name: string;
  received: boolean;
  reason: string;
  /** The statement that decided, where it is written; null when none did. */
  statement: { path: string; file: string; line: number; column: number; effect: string } | null;
  /** True when the webhook has no statements and LaunchDarkly's default decided. */
  byDefault: boolean;
}

/** For every declared webhook: does it receive this event, and which statement decided? Pure. */
export function explain(
  webhooks: readonly DesiredWebhook[],
  resource: Resource,
  action: string,
): Explanation[] {
  return webhooks.map((w) => {
    const sources = w.statementSources;
    const decision = decide(
      sources.map((s) => s.statement),
      resource,
      action,
    );
    const source = decision.statement !== undefined ? sources[decision.statement] : undefined;
    const off = !w.on && decision.received;
    return {
      name: w.name,
      received: decision.received && w.on,
      reason: off
        ? 'the webhook is off (on: false), though its statements allow it'
        : decision.reason,
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
  name: string;
  on: boolean;
  /** The actions of the catalog this webhook receives for the resource (none when it is off). */
  received: string[];
}

/**
 * `--action '*'`: every action the catalog knows for the resource's kind, and which of them
 * each webhook receives. Undefined when the catalog does not know the kind.
 */
export function explainActions(
  webhooks: readonly DesiredWebhook[],
  resource: Resource,
): { actions: string[]; webhooks: ActionsExplanation[] } | undefined {
  const kind = resource.segments.at(-1)?.kind;
  const actions = kind ? CATALOG[kind]?.actions : undefined;
  if (!actions) return undefined;
  const sorted = [...actions].sort();
  return {
    actions: sorted,
    webhooks: webhooks.map((w) => ({
      name: w.name,
      on: w.on,
      received: w.on
        ? sorted.filter(
            (a) =>
              decide(
                w.statementSources.map((s) => s.statement),
                resource,
                a,
              ).received,
          )
        : [],
    })),
  };
}
