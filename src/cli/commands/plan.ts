import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { Plan } from '../../core/model.js';
import { checkGuards } from '../../core/plan/guards.js';
import { computePlan, hasChanges } from '../../core/plan/plan.js';
import { buildPlanFile } from '../../engine/saved-plan.js';
import { renderJson } from '../../render/json.js';
import { renderMarkdown } from '../../render/markdown.js';
import { colorStyle, plainStyle, wantsColor } from '../../render/style.js';
import { renderText } from '../../render/text.js';
import { VERSION } from '../../version.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { parseInteger } from '../options.js';
import {
  collect,
  connect,
  listLive,
  printProblems,
  type RemoteFlags,
  readValidConfig,
  remoteOptions,
} from './remote.js';

export interface PlanFlags extends RemoteFlags {
  color?: boolean;
  format?: 'text' | 'markdown' | 'json';
  target?: string[];
  adopt?: boolean;
  maxDeletePercent: number;
  allowDeleteAll?: boolean;
}

/** Options shared by plan and apply. */
export function planOptions(command: Command): Command {
  return remoteOptions(command)
    .option('--target <name>', 'limit the plan to this webhook (repeatable)', collect)
    .option('--adopt', 'take over unmanaged live webhooks whose names the config declares')
    .option(
      '--max-delete-percent <p>',
      'refuse a plan that deletes more than P% of the managed webhooks',
      parseInteger('--max-delete-percent', 0, 100),
      25,
    )
    .option(
      '--allow-delete-all',
      'allow deleting every managed webhook when the config declares none',
    )
    .option(
      '--no-color',
      'plain text even on a terminal (NO_COLOR and FORCE_COLOR are honoured too)',
    );
}

/** Renders a plan in the chosen format; colour only for text on a terminal. */
export function planRenderer(flags: PlanFlags, io: CliIO): (plan: Plan) => string {
  if (flags.format === 'json') return (plan) => renderJson(plan, VERSION);
  if (flags.format === 'markdown') return (plan) => renderMarkdown(plan);
  const color = wantsColor({ flag: flags.color, env: io.env, isTTY: io.stdout.isTTY });
  return (plan) => renderText(plan, color ? colorStyle : plainStyle);
}

/**
 * Config -> one GET -> plan, printed. Guards are checked on the finished plan: a refusal is
 * exit 3. Shared by plan and apply.
 */
export async function planFromConfig(paths: string[], flags: PlanFlags, io: CliIO) {
  const config = await readValidConfig(paths, io);
  const { client, baseUri } = connect(flags, io);
  const live = await listLive(client);
  const result = computePlan({
    desired: config.webhooks,
    live,
    ownerTags: config.ownerTags,
    adopt: flags.adopt ?? false,
    targets: flags.target ?? [],
  });
  if (result.problems.length > 0) {
    printProblems(result.problems, io);
    throw new CliError(
      'cannot plan: ldhooks would have to change webhooks it does not own, or cannot tell them apart',
    );
  }
  io.stdout.write(planRenderer(flags, io)(result.plan));
  const refusal = checkGuards(result.plan, {
    maxDeletePercent: flags.maxDeletePercent,
    allowDeleteAll: flags.allowDeleteAll ?? false,
    declared: config.webhooks.length,
  });
  if (refusal) throw new CliError(`guard ${refusal.guard}: ${refusal.message}`, 3);
  return { config, client, baseUri, live, result };
}

interface PlanCommandFlags extends PlanFlags {
  out?: string;
  detailedExitcode?: boolean;
}

export function registerPlan(program: Command, io: CliIO, setExit: (code: number) => void): void {
  planOptions(
    program
      .command('plan')
      .summary('show what apply would change in LaunchDarkly (read-only)')
      .description(
        'Compare the config with the live LaunchDarkly account and show the changes\n' +
          'apply would make. Sends exactly one GET request and nothing else.\n\n' +
          'Only webhooks carrying an owner tag of the config are managed; others are\n' +
          'counted and never touched. Exit status: 0 success, 1 error, 2 changes found\n' +
          '(with --detailed-exitcode), 3 refused by a guard.',
      )
      .argument('[PATH...]', 'config files or directories (default: .)')
      .option(
        '--out <file>',
        'save the plan for ldhooks apply --plan FILE (no sensitive value is written)',
      )
      .option('--detailed-exitcode', 'exit 2 when there are changes (for drift detection)')
      .addOption(
        new Option(
          '--format <format>',
          'text, markdown (a pull-request comment) or json (versioned)',
        )
          .choices(['text', 'markdown', 'json'])
          .default('text'),
      ),
  ).action(async (paths: string[], flags: PlanCommandFlags) => {
    const { config, baseUri, live, result } = await planFromConfig(paths, flags, io);
    if (flags.out) {
      const file = buildPlanFile({
        baseUri,
        adopt: flags.adopt ?? false,
        targets: flags.target ?? [],
        ownerTags: config.ownerTags,
        desired: config.webhooks,
        live,
        plan: result.plan,
      });
      await writeFile(path.resolve(io.cwd, flags.out), `${JSON.stringify(file, null, 2)}\n`, {
        mode: 0o600,
      });
      // Keep stdout a pure document when it is Markdown or JSON.
      writeLine(
        flags.format === 'text' ? io.stdout : io.stderr,
        `\nSaved the plan to ${flags.out}. Apply exactly this plan with: ldhooks apply --plan ${flags.out}`,
      );
    }
    if (flags.detailedExitcode && hasChanges(result.plan)) setExit(2);
  });
}
