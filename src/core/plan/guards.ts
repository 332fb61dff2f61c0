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
  /**
   * Where the threshold was set when not on the command line, as the message names it and the
   * remedy offers to raise it there: `LDHOOKS_MAX_DELETE_PERCENT`, `maxDeletePercent in
   * .ldhooks.json`. Default: the flag (or its default).
   */
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
  /**
   * How to allow it, for people: `pass --allow-delete-all`, or, for a threshold set in
   * .ldhooks.json, `raise maxDeletePercent in .ldhooks.json to 34, or pass --max-delete-percent 34`.
   */
  allow: string;
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
      allow: 'pass --allow-delete-all',
    };
  }
  if (managed < PERCENT_GUARD_FROM) return undefined;
  const percent = (deletes / managed) * 100;
  // Compared in whole numbers: 7 of 25 is exactly 28%, which floating point makes 28.000000000000004.
  // Written so that a threshold that is not a number (NaN, a string) refuses: it fails closed.
  if (!(deletes * 100 <= options.maxDeletePercent * managed)) {
    const needed = Math.ceil(percent);
    const override = `--max-delete-percent ${needed}`;
    const from = options.thresholdFrom;
    // The command line wins over the other settings, so the flag always allows it too.
    const [limit, allow] = from
      ? [
          `the ${options.maxDeletePercent}% that ${from} allows`,
          `raise ${from} to ${needed}, or pass ${override}`,
        ]
      : [`--max-delete-percent ${options.maxDeletePercent}`, `pass ${override}`];
    return {
      guard: 'max-delete-percent',
      message: `refusing to delete ${deletes} of ${managed} managed webhooks (${percent.toFixed(0)}%, more than ${limit}). If that is what you mean, ${allow}`,
      override,
      allow,
    };
  }
  return undefined;
}
