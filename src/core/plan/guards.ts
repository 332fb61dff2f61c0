import type { Plan } from '../model.js';

/**
 * The percentage guard applies from this many managed webhooks up (octoDNS uses 10): in a small
 * account, deleting one of two is a normal change, not a runaway one.
 */
export const PERCENT_GUARD_FROM = 10;

/** The thresholds {@link checkGuards} checks a finished plan against, and what the config declares. */
export interface GuardOptions {
  /** Refuse to delete more than this share of the managed webhooks. Default 25. */
  maxDeletePercent: number;
  /** Where the threshold was set, as the message names it (default: the flag). */
  thresholdFrom?: string;
  /** Allow deleting every managed webhook when the config declares none. */
  allowDeleteAll: boolean;
  /** How many webhooks the config declares. */
  declared: number;
}

/**
 * A guard's refusal of a plan: which guard, and a message that says why and names the option
 * that overrides it. Exit code 3 in the CLI.
 */
export interface GuardRefusal {
  guard: 'empty-config' | 'max-delete-percent';
  /** What was refused and how to allow it, as one sentence for people. */
  message: string;
  /** The option that allows what was refused: `--allow-delete-all`, `--max-delete-percent 34`. */
  override: string;
}

/** Safety as a policy over a finished plan, each guard with its named override. */
export function checkGuards(plan: Plan, options: GuardOptions): GuardRefusal | undefined {
  // Removing an identical copy loses nothing: only webhooks that go away for good count.
  const copies = plan.changes.filter((c) => c.action === 'delete' && c.reason === 'duplicate');
  const deletes = plan.summary.delete - copies.length;
  const managed = plan.managed - copies.length;
  if (deletes === 0) return undefined;
  if (options.declared === 0 && deletes >= managed) {
    // Only true allows it: anything else ("false", 1) fails closed.
    if (options.allowDeleteAll === true) return undefined;
    return {
      guard: 'empty-config',
      message: `refusing to delete all ${deletes} managed webhooks: the config declares none (an empty or wrong PATH?). If that is what you mean, pass --allow-delete-all`,
      override: '--allow-delete-all',
    };
  }
  if (managed < PERCENT_GUARD_FROM) return undefined;
  const percent = (deletes / managed) * 100;
  // Compared in whole numbers: 7 of 25 is exactly 28%, which floating point makes 28.000000000000004.
  // Written so that a threshold that is not a number (NaN, a string) refuses: it fails closed.
  if (!(deletes * 100 <= options.maxDeletePercent * managed)) {
    const override = `--max-delete-percent ${Math.ceil(percent)}`;
    return {
      guard: 'max-delete-percent',
      message: `refusing to delete ${deletes} of ${managed} managed webhooks (${percent.toFixed(0)}%, more than ${options.thresholdFrom ?? '--max-delete-percent'} ${options.maxDeletePercent}). If that is what you mean, raise it: ${override}`,
      override,
    };
  }
  return undefined;
}
