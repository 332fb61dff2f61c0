import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { escapeControl } from '../../core/escape.js';
import { hasChanges } from '../../core/plan/plan.js';
import type { WebhooksPort } from '../../core/port.js';
import { type ApplyReport, apply, type OperationResult } from '../../engine/apply.js';
import { planFromSaved } from '../../engine/apply-saved.js';
import {
  ApplyIncompleteError,
  InterruptedError,
  PlanFileError,
  StalePlanError,
} from '../../engine/errors.js';
import { assertGuards, type PlanRun } from '../../engine/plan.js';
import { renderApplyJson } from '../../render/apply-json.js';
import { PLAN_FORMAT, PLAN_FORMAT_VERSION } from '../../render/plan-schema.js';
import { summaryLine } from '../../render/text.js';
import { VERSION } from '../../version.js';
import { describeFailure, signalExitCode } from '../exit.js';
import { CliError, type CliIO, writeDocument, writeLine } from '../io.js';
import { parseInteger } from '../options.js';
import { readUserFile } from '../user-file.js';
import {
  checkQuiet,
  type PlanFlags,
  planFromConfig,
  planOptions,
  printPlanText,
  type ReadProblems,
  reportMasker,
} from './plan.js';
import { connect, planKeyMaterial, tokenEntry } from './remote.js';

interface ApplyFlags extends PlanFlags {
  autoApprove?: boolean;
  parallelism: number;
  plan?: string;
}

/**
 * Where apply's lines go. Text: progress and summary on stdout, failures on stderr. --quiet: the
 * summary line only, failures on stderr. JSON: stdout holds the report alone, so every line a
 * person reads goes to stderr.
 */
interface Lines {
  progress(line: string): void;
  summary(line: string): void;
  error(line: string): void;
}

function linesFor(flags: ApplyFlags, io: CliIO): Lines {
  const err = (line: string) => writeLine(io.stderr, line);
  const out = (line: string) => writeLine(io.stdout, line);
  if (flags.format === 'json') return { progress: err, summary: err, error: err };
  if (flags.quiet) return { progress: () => {}, summary: out, error: err };
  return { progress: out, summary: out, error: err };
}

const shortId = (id: string | undefined) => (id ? `${id.slice(0, 8)}…` : 'no id');

function progressLine(r: OperationResult): string {
  if (r.error) return `! failed to ${r.action} ${r.change.name}: ${r.error}`;
  const verb = { create: '+ created', update: '~ updated', delete: '- deleted' }[r.action];
  const repaired = r.repaired
    ? `; then set ${r.repaired.join(', ')}, which LaunchDarkly did not take on create`
    : '';
  return `${verb} ${r.change.name} (${shortId(r.id)})${repaired}${r.alreadyGone ? ': it was gone already' : ''}`;
}

function printReport(report: ApplyReport, lines: Lines, stoppedBy?: string): void {
  for (const c of report.removedCopies) {
    (c.error ? lines.error : lines.progress)(
      escapeControl(
        c.error
          ? `! could not remove ${c.name} (${shortId(c.id)}), an identical copy another run created at the same time: ${c.error}`
          : `- removed ${c.name} (${shortId(c.id)}), an identical copy another run created at the same time`,
      ),
    );
  }
  if (report.verifyError) {
    lines.error(
      `! could not re-list to check the creates for duplicates (${escapeControl(report.verifyError)})`,
    );
  }
  const done = `${report.created} created, ${report.updated} updated, ${report.deleted} deleted`;
  if (stoppedBy && report.notStarted.length === 0) {
    // The signal came after the last operation had started: nothing is left to do.
    lines.error(
      `\nApply stopped by ${stoppedBy} after every operation had started: ${done}; ${report.failed.length} failed.`,
    );
    return;
  }
  if (stoppedBy) {
    lines.error(`\nApply stopped by ${stoppedBy}: ${done}; ${report.failed.length} failed.`);
    if (report.notStarted.length > 0) {
      lines.error(`Not started (${report.notStarted.length}):`);
      for (const c of report.notStarted) lines.error(escapeControl(`  ${c.action} ${c.name}`));
    }
    lines.error('Run ldhooks apply again to finish: it plans from the live state and converges.');
    return;
  }
  if (report.failed.length === 0 && !report.removedCopies.some((c) => c.error)) {
    if (report.verifyError) {
      lines.error(
        `\nApply not verified: ${done}, but whether another apply at the same time created the same webhooks could not be checked. Run ldhooks plan: it shows any duplicate, and ldhooks apply removes it.`,
      );
      return;
    }
    lines.progress('');
    lines.summary(`Apply complete: ${done}.`);
    return;
  }
  lines.error(
    `\nApply incomplete: ${done}; ${report.failed.length} of ${report.results.length} operations failed:`,
  );
  for (const r of report.failed)
    lines.error(escapeControl(`  ${r.action} ${r.change.name}: ${r.error}`));
  lines.error(
    'Fix the cause and run ldhooks apply again: it plans from the live state and converges.',
  );
}

interface Executed {
  report: ApplyReport;
  stoppedBy?: 'SIGINT' | 'SIGTERM';
}

/**
 * Applies with SIGINT and SIGTERM handled: the first stops new operations and lets those in
 * flight finish; a second stops at once (without a report: it stops at once).
 */
async function execute(
  port: WebhooksPort,
  run: PlanRun,
  flags: ApplyFlags,
  io: CliIO,
  lines: Lines,
): Promise<Executed> {
  lines.progress('');
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      if (stoppedBy) {
        writeLine(io.stderr, `${signal} again: stopping at once.`);
        (io.exit ?? ((code: number) => process.exit(code)))(signalExitCode(signal));
        return;
      }
      stoppedBy = signal;
      writeLine(
        io.stderr,
        `\n${signal}: starting no more operations; those in flight finish. Send it again to stop at once.`,
      );
    };
    io.signals.on(signal, handler);
    return [signal, handler] as const;
  });
  let report: ApplyReport;
  // How far the run is, on each operation's line: a long apply paced by rate limits says so.
  const total = run.plan.changes.filter((c) => c.operation !== undefined).length;
  let finished = 0;
  try {
    report = await apply(port, run.plan, {
      parallelism: flags.parallelism,
      masker: run.masker,
      onResult: (r) => {
        finished += 1;
        (r.error ? lines.error : lines.progress)(
          `${escapeControl(progressLine(r))} [${finished}/${total}]`,
        );
      },
      shouldStop: () => stoppedBy !== undefined,
    });
  } finally {
    for (const [signal, handler] of handlers) io.signals.off(signal, handler);
  }
  printReport(report, lines, stoppedBy);
  return { report, ...(stoppedBy ? { stoppedBy } : {}) };
}

/**
 * SIGINT and SIGTERM while planning: the run stops at once, as nothing has been changed. `race`
 * rejects with an InterruptedError on the first signal, whatever the planning waits for (a list
 * request that never answers, a rate-limit wait).
 */
function stopOnSignal(io: CliIO) {
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  let interrupt: (e: InterruptedError) => void = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = reject;
  });
  interrupted.catch(() => {});
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      stoppedBy ??= signal;
      interrupt(new InterruptedError(signal));
    };
    io.signals.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    get stoppedBy() {
      return stoppedBy;
    },
    race<T>(work: Promise<T>): Promise<T> {
      // The work may still fail after the signal won: nobody waits for it any more.
      work.catch(() => {});
      return Promise.race([work, interrupted]);
    },
    dispose() {
      for (const [signal, handler] of handlers) io.signals.off(signal, handler);
    },
  };
}

/**
 * Ends the process once everything written has been flushed: a request still in flight (a list
 * that never answers) would otherwise keep it alive until its timeout.
 */
async function endNow(io: CliIO, code: number): Promise<void> {
  await Promise.all(
    [io.stdout, io.stderr].map((s) => new Promise<void>((resolve) => s.write('', () => resolve()))),
  );
  (io.exit ?? ((c: number) => process.exit(c)))(code);
}

/** How an apply that ran ends: interrupted, incomplete, or not at all (success). */
function endOf({ report, stoppedBy }: Executed): Error | undefined {
  if (stoppedBy) return new InterruptedError(stoppedBy);
  if (report.failed.length > 0 || report.removedCopies.some((c) => c.error)) {
    return new ApplyIncompleteError(report.failed.length);
  }
  // Done, but not checked: two applies at once may have left a duplicate.
  if (report.verifyError) return new ApplyIncompleteError(0, report.verifyError);
  return undefined;
}

/** Asks for `yes`. Ctrl+C or Ctrl+D at the question answer it too: nothing is applied. */
async function confirm(io: CliIO): Promise<'yes' | 'no' | 'interrupted'> {
  const rl = createInterface({ input: io.stdin, output: io.stdout });
  let interrupted = false;
  rl.on('SIGINT', () => {
    interrupted = true;
    rl.close();
  });
  // The question never settles when the input closes (Ctrl+D, or Ctrl+C closing it above).
  const closed = new Promise<undefined>((resolve) => rl.once('close', () => resolve(undefined)));
  try {
    const answer = await Promise.race([
      rl.question("\nDo you want to apply these changes? Only 'yes' is accepted: "),
      closed,
    ]);
    if (answer === undefined) return interrupted ? 'interrupted' : 'no';
    return answer.trim() === 'yes' ? 'yes' : 'no';
  } finally {
    rl.close();
    // Let the process end: readline left a terminal's input flowing.
    io.stdin.pause();
  }
}

/**
 * A saved plan holds at most what one list of the account holds, and the desired side of it: the
 * client reads a list of at most 64 MiB.
 */
const MAX_PLAN_FILE_BYTES = 64 * 1024 * 1024;

async function readPlanFile(name: string, io: CliIO): Promise<string> {
  try {
    return await readUserFile(io, name, MAX_PLAN_FILE_BYTES);
  } catch (e) {
    throw new PlanFileError(
      `cannot read the plan ${name}: ${(e as Error).message}; pass the regular file that ldhooks plan --out wrote, whole`,
    );
  }
}

/** Options that shape a plan: a saved plan was reviewed with its own, so they cannot change. */
const FIXED_AT_PLAN_TIME = [
  ['target', '--target'],
  ['adopt', '--adopt'],
  ['takeoverFrom', '--takeover-from'],
  ['maxDeletePercent', '--max-delete-percent'],
  ['allowDeleteAll', '--allow-delete-all'],
] as const;

/** Plans again from a saved plan, after refusing what a saved plan fixes. */
async function planSaved(flags: ApplyFlags, paths: string[], io: CliIO, command: Command) {
  if (paths.length > 0) {
    throw new CliError(
      'apply --plan takes no PATH: the saved plan already holds the configuration',
    );
  }
  const given = FIXED_AT_PLAN_TIME.filter(([key]) => command.getOptionValueSource(key) === 'cli');
  if (given.length > 0) {
    throw new CliError(
      `apply --plan refuses ${given.map(([, flag]) => flag).join(', ')}: these were fixed when the plan was made and reviewed (the saved plan keeps them, and its guards are checked again). Plan again with the options you want, then apply that plan`,
    );
  }
  const name = flags.plan as string;
  const text = await readPlanFile(name, io);
  const { client, baseUri } = connect(flags, io, 'write', text);
  const run = await planFromSaved(text, client, {
    file: name,
    baseUri,
    env: io.env,
    keyMaterial: planKeyMaterial(io),
    secrets: tokenEntry(io),
    expected: { format: PLAN_FORMAT, version: PLAN_FORMAT_VERSION, ldhooksVersion: VERSION },
  });
  return { run, client };
}

/**
 * --format json and --quiet show no plan to say yes to: they apply only what was reviewed
 * elsewhere (--auto-approve, or a saved plan). A mistake in the command line: no report.
 */
function checkUnattended(flags: ApplyFlags): void {
  if (flags.autoApprove || flags.plan) return;
  const what = flags.format === 'json' ? '--format json' : flags.quiet ? '--quiet' : undefined;
  if (what) {
    throw new CliError(
      `apply ${what} shows no plan to confirm: pass --auto-approve (after reviewing the plan with ldhooks plan), or apply a reviewed saved plan with --plan FILE`,
    );
  }
}

export function registerApply(program: Command, io: CliIO): void {
  planOptions(
    program
      .command('apply')
      .summary('make LaunchDarkly match the config')
      .description(
        'Plan, print the plan, ask for "yes" (or take --auto-approve), then create,\n' +
          'update and delete webhooks: one request per changed webhook, none for\n' +
          'unchanged ones, deletes and updates before creates. A failed operation\n' +
          'does not stop the others; running apply again converges.\n\n' +
          'With --plan FILE, apply exactly a plan saved by plan --out, after checking\n' +
          'that no managed webhook changed since and that the environment still gives\n' +
          'the same values (else exit 3).\n\n' +
          'With --format json, standard output holds only a JSON report of every\n' +
          'operation and its outcome (schemas/apply.schema.json), printed also when the\n' +
          'run fails, is refused or is interrupted; progress goes to standard error.\n' +
          'With --quiet, only the summary line. Both need --auto-approve or --plan.\n\n' +
          'Exit status: 0 success, 1 error or failed operation, 3 refused by a guard\n' +
          'or a stale plan, 130/143 stopped by SIGINT/SIGTERM.',
      )
      .argument('[PATH...]', 'config files or directories (default: .)')
      .option('--auto-approve', 'do not ask for confirmation (needed without a terminal)')
      .option(
        '--parallelism <n>',
        'operations in flight at once',
        parseInteger('--parallelism', 1, 64),
        4,
      )
      .option('--plan <file>', 'apply a plan saved with ldhooks plan --out')
      .addOption(
        new Option(
          '--format <format>',
          'text, or json: a report of every operation (needs --auto-approve or --plan)',
        )
          .choices(['text', 'json'])
          .default('text'),
      ),
    'needs --auto-approve or --plan; not with --format json',
  ).action(async (paths: string[], flags: ApplyFlags, command: Command) => {
    checkQuiet(flags);
    checkUnattended(flags);
    const lines = linesFor(flags, io);
    const json = flags.format === 'json';
    const read: ReadProblems = { problems: [] };
    let run: PlanRun | undefined;
    let executed: Executed | undefined;
    // A signal before the operations begin stops the run at once: planning only reads.
    const planning = stopOnSignal(io);
    try {
      const planned = await planning.race(
        flags.plan
          ? planSaved(flags, paths, io, command)
          : planFromConfig(paths, flags, io, read, 'write'),
      );
      planning.dispose();
      run = planned.run;
      if (!json && !flags.quiet) printPlanText(run.plan, flags, io);
      assertGuards(run);
      if (!hasChanges(run.plan)) {
        if (flags.quiet) lines.summary(summaryLine(run.plan));
      } else {
        if (!flags.autoApprove && !flags.plan && (await confirmed(io)) === false) return;
        executed = await execute(planned.client, run, flags, io, lines);
        const end = endOf(executed);
        if (end) throw end;
      }
    } catch (e) {
      planning.dispose();
      if (json) {
        const failure = describeFailure(e, reportMasker(io, run));
        writeDocument(
          io.stdout,
          renderApplyJson(
            {
              plan: run?.plan,
              report: executed?.report,
              problems: read.problems,
              failure,
              ...(e instanceof StalePlanError ? { reviewed: e.operations } : {}),
            },
            VERSION,
          ),
        );
      }
      if (planning.stoppedBy && e instanceof InterruptedError) {
        writeLine(
          io.stderr,
          `\n${planning.stoppedBy}: stopped while planning, before any operation: nothing was changed.`,
        );
        await endNow(io, signalExitCode(planning.stoppedBy));
      }
      throw e;
    }
    if (json) {
      writeDocument(
        io.stdout,
        renderApplyJson(
          { plan: run.plan, report: executed?.report, problems: read.problems },
          VERSION,
        ),
      );
    }
  });
}

/**
 * Asks on the terminal; false when the answer is not yes (nothing is applied, exit 0). Ctrl+C
 * at the question stops the run (exit 130). Without a terminal, apply needs --auto-approve.
 */
async function confirmed(io: CliIO): Promise<boolean> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) {
    throw new CliError(
      'apply needs confirmation, and there is no terminal to ask on: pass --auto-approve (in CI, after reviewing the plan)',
    );
  }
  const answer = await confirm(io);
  if (answer === 'yes') return true;
  writeLine(io.stdout, '\nApply cancelled: nothing was changed.');
  if (answer === 'interrupted') throw new InterruptedError('SIGINT');
  return false;
}
