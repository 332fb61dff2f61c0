import { type MaskEntry, type Masker, variableEntries } from '../core/mask.js';
import type { LiveWebhook, Plan } from '../core/model.js';
import { checkGuards, type GuardRefusal } from '../core/plan/guards.js';
import { computePlan } from '../core/plan/plan.js';
import type { ConfigReadResult, ConfigSource, WebhooksPort } from '../core/port.js';
import { hasErrors, type Problem } from '../core/problem.js';
import {
  ConfigInvalidError,
  GuardRefusedError,
  OwnershipError,
  UnknownTargetError,
} from './errors.js';

export interface PlanOptions {
  /** --adopt */
  adopt?: boolean;
  /** --takeover-from: other configs' owner tags whose webhooks may be adopted. */
  takeoverFrom?: readonly string[];
  /** --target */
  targets?: readonly string[];
  /** Guard thresholds, checked on the finished plan. */
  maxDeletePercent: number;
  /** Where the threshold was set (LDHOOKS_MAX_DELETE_PERCENT, .ldhooks.json), for the message. */
  maxDeletePercentFrom?: string;
  allowDeleteAll?: boolean;
  /** The environment the config read: its values are masked wherever they appear. */
  env?: Readonly<Record<string, string | undefined>>;
  /** More values never to show (the access token), with what to show instead. */
  secrets?: readonly MaskEntry[];
}

/** A finished plan and what it was made from. */
export interface PlanRun {
  /** The configuration the plan was made from. */
  config: ConfigReadResult;
  /** Every live webhook the one list request returned. */
  live: LiveWebhook[];
  /** The plan: render it with renderText, renderMarkdown or renderJson; apply carries it out. */
  plan: Plan;
  /** Warnings of the configuration (errors stop the run before this). */
  warnings: Problem[];
  /** Masks every sensitive value this run knows of: for progress and error text. */
  masker: Masker;
  /** Set when a guard refuses the plan: show the plan, then stop (see assertGuards). */
  refusal?: GuardRefusal;
}

/** Reads the config (an error: nothing is sent), lists the account once, plans, checks guards. */
export async function plan(
  source: ConfigSource,
  webhooks: WebhooksPort,
  options: PlanOptions,
): Promise<PlanRun> {
  const config = await source.read();
  if (hasErrors(config.problems)) throw new ConfigInvalidError(config.problems);
  const live = await webhooks.list();
  return planFromLive(config, live, options);
}

/** The pure part of a run: config and live webhooks in, a checked plan out. */
export function planFromLive(
  config: ConfigReadResult,
  live: LiveWebhook[],
  options: PlanOptions,
): PlanRun {
  const sensitive = [
    ...(options.secrets ?? []),
    ...variableEntries(
      config.webhooks.flatMap((d) => d.sensitive),
      options.env ?? {},
    ),
  ];
  const result = computePlan({
    desired: config.webhooks,
    live,
    ownerTags: config.ownerTags,
    adopt: options.adopt ?? false,
    takeoverFrom: options.takeoverFrom ?? [],
    targets: options.targets ?? [],
    sensitive,
  });
  if (result.unknownTargets.length > 0) throw new UnknownTargetError(result.unknownTargets);
  if (result.problems.length > 0) throw new OwnershipError(result.problems);
  const refusal = checkGuards(result.plan, {
    maxDeletePercent: options.maxDeletePercent,
    ...(options.maxDeletePercentFrom ? { thresholdFrom: options.maxDeletePercentFrom } : {}),
    allowDeleteAll: options.allowDeleteAll ?? false,
    declared: config.webhooks.length,
  });
  return {
    config,
    live,
    plan: result.plan,
    warnings: config.problems,
    masker: result.masker,
    ...(refusal ? { refusal } : {}),
  };
}

/** After the plan is shown: a guard's refusal ends the run (exit 3). */
export function assertGuards(run: PlanRun): void {
  if (run.refusal) throw new GuardRefusedError(run.refusal);
}
