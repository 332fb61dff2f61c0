import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { OWNER_TAG_PATTERN, OWNER_TAG_PREFIX } from '../../core/config/schema.js';
import { escapeControl } from '../../core/escape.js';
import type { RunOutcome } from '../../core/failure.js';
import { Masker } from '../../core/mask.js';
import type { Plan } from '../../core/model.js';
import { hasChanges } from '../../core/plan/plan.js';
import type { Problem } from '../../core/problem.js';
import { assertGuards, type PlanRun, plan } from '../../engine/plan.js';
import { buildPlanFile, planFileText } from '../../engine/saved-plan.js';
import { renderPlanReportJson, toPlanJson } from '../../render/json.js';
import { renderPlanReportMarkdown } from '../../render/markdown.js';
import { colorStyle, plainStyle, wantsColor } from '../../render/style.js';
import { renderText, summaryLine } from '../../render/text.js';
import { VERSION } from '../../version.js';
import { describeFailure, EXIT } from '../exit.js';
import { deleteThreshold, maxDeletePercent } from '../guard-settings.js';
import { CliError, type CliIO, writeDocument, writeLine } from '../io.js';
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
  quiet?: boolean;
}

/**
 * Options shared by plan and apply. `quiet` ends the description of --quiet: what it does not go
 * with, in the terms of the command's own formats.
 */
export function planOptions(command: Command, quiet: string): Command {
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
    )
    .option(
      '-q, --quiet',
      `print only the summary line (errors still go to standard error); ${quiet}`,
    );
}

/**
 * --quiet shortens the text output to its summary line; a Markdown or JSON document is the whole
 * output or nothing, so the two together are a mistake in the command line.
 */
export function checkQuiet(flags: PlanFlags): void {
  if (flags.quiet && flags.format !== undefined && flags.format !== 'text') {
    throw new CliError(
      `--quiet prints only the summary line of the text output, and --format ${flags.format} prints a whole document: leave out one of them`,
    );
  }
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

/** The plan as text, colour only on a terminal; with --quiet, only its summary line. */
export function printPlanText(plan: Plan, flags: PlanFlags, io: CliIO): void {
  if (flags.quiet) {
    writeLine(io.stdout, summaryLine(plan));
    return;
  }
  const color = wantsColor({ flag: flags.color, env: io.env, isTTY: io.stdout.isTTY });
  io.stdout.write(
    renderText(plan, color ? colorStyle : plainStyle, {
      showUnmanaged: flags.showUnmanaged ?? false,
    }),
  );
}

/**
 * `plan --format markdown|json` of any run: the plan and what the run says about it (the
 * config's problems, a refusal), or, when the run failed before a plan, why.
 */
export function planReport(
  format: 'markdown' | 'json',
  plan: Plan | undefined,
  outcome: RunOutcome,
): string {
  return format === 'json'
    ? renderPlanReportJson(plan, VERSION, outcome)
    : renderPlanReportMarkdown(plan, outcome);
}

/**
 * What a report masks in a failure's text, whatever produced it: the run's sensitive values when
 * it got that far, and the access token always.
 */
export function reportMasker(io: CliIO, run?: PlanRun): Masker {
  let token: Masker;
  try {
    token = new Masker(tokenEntry(io));
  } catch {
    // No token is set: there is none to hide.
    token = new Masker([]);
  }
  return run ? run.masker.merge(token) : token;
}

/** The config's problems as a run read them: its report lists them, also when it fails later. */
export interface ReadProblems {
  problems: readonly Problem[];
}

/**
 * Plans from the config files, warnings printed (unless --quiet). The caller prints the plan
 * and checks the guards.
 */
export async function planFromConfig(
  paths: string[],
  flags: PlanFlags,
  io: CliIO,
  read: ReadProblems = { problems: [] },
  access: 'read' | 'write' = 'read',
): Promise<{ run: PlanRun; client: ReturnType<typeof connect>['client']; baseUri: string }> {
  const { client, baseUri } = connect(flags, io, access);
  const threshold = await deleteThreshold(flags.maxDeletePercent, io);
  const source = configSource(paths, io, client);
  const reading = {
    read: async () => {
      const config = await source.read();
      read.problems = config.problems;
      return config;
    },
  };
  const run = await plan(reading, client, {
    adopt: flags.adopt ?? false,
    takeoverFrom: flags.takeoverFrom ?? [],
    targets: flags.target ?? [],
    maxDeletePercent: threshold.value,
    ...(threshold.from ? { maxDeletePercentFrom: threshold.from } : {}),
    allowDeleteAll: flags.allowDeleteAll ?? false,
    env: io.env,
    secrets: tokenEntry(io),
  });
  if (!flags.quiet) printProblems(run.warnings, io);
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
          '${NAME} templates, secrets as (sensitive).\n\n' +
          'With --format markdown or json, a run that fails or is refused still prints\n' +
          'its report on standard output (the problems with their places and remedies,\n' +
          'or the guard and the option that overrides it), and exits as it would\n' +
          'without it. Exit status: 0 success, 1 error, 2 changes found (with\n' +
          '--detailed-exitcode), 3 refused by a guard.',
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
          'text, markdown (a pull-request comment) or json (versioned); markdown and json also report a failure',
        )
          .choices(['text', 'markdown', 'json'])
          .default('text'),
      ),
    'not with --format markdown or json',
  ).action(async (paths: string[], flags: PlanCommandFlags) => {
    checkQuiet(flags);
    const format = flags.format === 'json' || flags.format === 'markdown' ? flags.format : 'text';
    const read: ReadProblems = { problems: [] };
    let run: PlanRun | undefined;
    try {
      const planned = await planFromConfig(paths, flags, io, read);
      run = planned.run;
      // Text shows the plan before a guard's refusal; a document says both at once.
      if (format === 'text') printPlanText(run.plan, flags, io);
      assertGuards(run);
      if (flags.out) await savePlan(flags.out, planned.run, flags, planned.baseUri, io, read);
    } catch (e) {
      if (format !== 'text') {
        const failure = describeFailure(e, reportMasker(io, run));
        writeDocument(
          io.stdout,
          planReport(format, run?.plan, { problems: read.problems, failure }),
        );
      }
      throw e;
    }
    if (format !== 'text') writeDocument(io.stdout, planReport(format, run.plan, read));
    if (flags.detailedExitcode && hasChanges(run.plan)) setExit(EXIT.changes);
  });
}

async function savePlan(
  out: string,
  run: PlanRun,
  flags: PlanFlags,
  baseUri: string,
  io: CliIO,
  read: ReadProblems,
) {
  const file = buildPlanFile(
    toPlanJson(run.plan, VERSION, read) as unknown as Record<string, unknown>,
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
      `cannot write the plan to ${escapeControl(out)}: ${code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : (e as Error).message}; choose a path in an existing, writable directory`,
    );
  }
  // Keep stdout a pure document when it is Markdown or JSON, and one line with --quiet.
  writeLine(
    (flags.format === 'text' || flags.format === undefined) && !flags.quiet ? io.stdout : io.stderr,
    `\n${escapeControl(`Saved the plan to ${out}. Apply exactly this plan with: ldhooks apply --plan ${out}`)}`,
  );
}
