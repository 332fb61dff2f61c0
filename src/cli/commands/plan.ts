import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { OWNER_TAG_PATTERN, OWNER_TAG_PREFIX } from '../../core/config/schema.js';
import type { Plan } from '../../core/model.js';
import { hasChanges } from '../../core/plan/plan.js';
import { assertGuards, type PlanRun, plan } from '../../engine/plan.js';
import { buildPlanFile, planFileText } from '../../engine/saved-plan.js';
import { renderJson, toPlanJson } from '../../render/json.js';
import { renderMarkdown } from '../../render/markdown.js';
import { colorStyle, plainStyle, wantsColor } from '../../render/style.js';
import { renderText } from '../../render/text.js';
import { VERSION } from '../../version.js';
import { EXIT } from '../exit.js';
import { deleteThreshold, maxDeletePercent } from '../guard-settings.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { parseInteger } from '../options.js';
import {
  collect,
  configSource,
  connect,
  planKeyMaterial,
  printProblems,
  type RemoteFlags,
  remoteOptions,
  tokenEntry,
} from './remote.js';

export interface PlanFlags extends RemoteFlags {
  color?: boolean;
  format?: 'text' | 'markdown' | 'json';
  target?: string[];
  adopt?: boolean;
  takeoverFrom?: string[];
  showUnmanaged?: boolean;
  maxDeletePercent?: number;
  allowDeleteAll?: boolean;
}

/** Options shared by plan and apply. */
export function planOptions(command: Command): Command {
  return remoteOptions(command)
    .option('--target <name>', 'limit the plan to this webhook (repeatable)', collect)
    .option('--adopt', 'take over unmanaged live webhooks whose names the config declares')
    .option(
      '--takeover-from <owner>',
      'take over the webhooks another config owns (its managed-by- owner tag) whose names the config declares (repeatable)',
      collectOwner,
    )
    .option(
      '--max-delete-percent <p>',
      'refuse a plan that deletes more than P% of the managed webhooks, from 10 managed up (default: LDHOOKS_MAX_DELETE_PERCENT, else maxDeletePercent in .ldhooks.json, else 25)',
      parseInteger('--max-delete-percent', 0, 100),
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

/** An owner tag given on the command line, which always starts with managed-by-. */
export function ownerTagOption(value: string): string {
  if (!new RegExp(OWNER_TAG_PATTERN).test(value)) {
    throw new InvalidArgumentError(
      `${JSON.stringify(value)} is not an owner tag: write "${OWNER_TAG_PREFIX}" and a name (such as managed-by-team-growth).`,
    );
  }
  return value;
}

/** --takeover-from: repeatable owner tags. */
function collectOwner(value: string, previous: string[] = []): string[] {
  return collect(ownerTagOption(value), previous);
}

/** Renders a plan in the chosen format; colour only for text on a terminal. */
export function renderPlan(plan: Plan, flags: PlanFlags, io: CliIO): string {
  if (flags.format === 'json') return renderJson(plan, VERSION);
  if (flags.format === 'markdown') return renderMarkdown(plan);
  const color = wantsColor({ flag: flags.color, env: io.env, isTTY: io.stdout.isTTY });
  return renderText(plan, color ? colorStyle : plainStyle, {
    showUnmanaged: flags.showUnmanaged ?? false,
  });
}

/** Plans from the config files: warnings printed, the plan printed, then the guards. */
export async function planFromConfig(
  paths: string[],
  flags: PlanFlags,
  io: CliIO,
): Promise<{ run: PlanRun; client: ReturnType<typeof connect>['client']; baseUri: string }> {
  const { client, baseUri } = connect(flags, io);
  const threshold = await deleteThreshold(flags.maxDeletePercent, io);
  const run = await plan(configSource(paths, io, client), client, {
    adopt: flags.adopt ?? false,
    takeoverFrom: flags.takeoverFrom ?? [],
    targets: flags.target ?? [],
    maxDeletePercent: threshold.value,
    ...(threshold.from ? { maxDeletePercentFrom: threshold.from } : {}),
    allowDeleteAll: flags.allowDeleteAll ?? false,
    env: io.env,
    secrets: tokenEntry(io),
  });
  printProblems(run.warnings, io);
  io.stdout.write(renderPlan(run.plan, flags, io));
  return { run, client, baseUri };
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
          'counted and never touched. Values from the environment show as their\n' +
          '${NAME} templates, secrets as (sensitive). Exit status: 0 success, 1 error,\n' +
          '2 changes found (with --detailed-exitcode), 3 refused by a guard.',
      )
      .argument('[PATH...]', 'config files or directories (default: .)')
      .option(
        '--out <file>',
        'save the plan for ldhooks apply --plan FILE (no sensitive value is written)',
      )
      .option('--detailed-exitcode', 'exit 2 when there are changes (for drift detection)')
      .option(
        '--show-unmanaged',
        "list the live webhooks the plan leaves alone (unmanaged, or another config's, with its owner tag)",
      )
      .addOption(
        new Option(
          '--format <format>',
          'text, markdown (a pull-request comment) or json (versioned)',
        )
          .choices(['text', 'markdown', 'json'])
          .default('text'),
      ),
  ).action(async (paths: string[], flags: PlanCommandFlags) => {
    const { run, baseUri } = await planFromConfig(paths, flags, io);
    assertGuards(run);
    if (flags.out) await savePlan(flags.out, run, flags, baseUri, io);
    if (flags.detailedExitcode && hasChanges(run.plan)) setExit(EXIT.changes);
  });
}

async function savePlan(out: string, run: PlanRun, flags: PlanFlags, baseUri: string, io: CliIO) {
  const file = buildPlanFile(
    toPlanJson(run.plan, VERSION) as unknown as Record<string, unknown>,
    run.config.webhooks,
    run.live,
    run.config.ownerTags,
    run.plan,
    {
      baseUri,
      adopt: flags.adopt ?? false,
      takeoverFrom: flags.takeoverFrom ?? [],
      maxDeletePercent: await maxDeletePercent(flags.maxDeletePercent, io),
      allowDeleteAll: flags.allowDeleteAll ?? false,
      masker: run.masker,
      env: io.env,
      keyMaterial: planKeyMaterial(io),
    },
  );
  try {
    await writeFile(path.resolve(io.cwd, out), planFileText(file), {
      mode: 0o600,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot write the plan to ${out}: ${code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : (e as Error).message}; choose a path in an existing, writable directory`,
    );
  }
  // Keep stdout a pure document when it is Markdown or JSON.
  writeLine(
    flags.format === 'text' || flags.format === undefined ? io.stdout : io.stderr,
    `\nSaved the plan to ${out}. Apply exactly this plan with: ldhooks apply --plan ${out}`,
  );
}
