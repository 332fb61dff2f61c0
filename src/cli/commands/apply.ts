import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { escapeControl } from '../../core/escape.js';
import { hasChanges } from '../../core/plan/plan.js';
import type { WebhooksPort } from '../../core/port.js';
import { type ApplyReport, apply, type OperationResult } from '../../engine/apply.js';
import { planFromSaved } from '../../engine/apply-saved.js';
import { ApplyIncompleteError, InterruptedError, PlanFileError } from '../../engine/errors.js';
import { assertGuards, type PlanRun } from '../../engine/plan.js';
import { PLAN_FORMAT, PLAN_FORMAT_VERSION } from '../../render/plan-schema.js';
import { VERSION } from '../../version.js';
import { signalExitCode } from '../exit.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { parseInteger } from '../options.js';
import { type PlanFlags, planFromConfig, planOptions, renderPlan } from './plan.js';
import { connect, planKeyMaterial, tokenEntry } from './remote.js';

interface ApplyFlags extends PlanFlags {
  autoApprove?: boolean;
  parallelism: number;
  plan?: string;
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

function printReport(report: ApplyReport, io: CliIO, stoppedBy?: string): void {
  for (const c of report.removedCopies) {
    writeLine(
      c.error ? io.stderr : io.stdout,
      c.error
        ? `! could not remove ${c.name} (${shortId(c.id)}), an identical copy another run created at the same time: ${c.error}`
        : `- removed ${c.name} (${shortId(c.id)}), an identical copy another run created at the same time`,
    );
  }
  if (report.verifyError) {
    writeLine(
      io.stderr,
      `! could not re-list to verify the creates (${report.verifyError}); the next plan checks them`,
    );
  }
  const done = `${report.created} created, ${report.updated} updated, ${report.deleted} deleted`;
  if (stoppedBy && report.notStarted.length === 0) {
    // The signal came after the last operation had started: nothing is left to do.
    writeLine(
      io.stderr,
      `\nApply stopped by ${stoppedBy} after every operation had started: ${done}; ${report.failed.length} failed.`,
    );
    return;
  }
  if (stoppedBy) {
    writeLine(
      io.stderr,
      `\nApply stopped by ${stoppedBy}: ${done}; ${report.failed.length} failed.`,
    );
    if (report.notStarted.length > 0) {
      writeLine(io.stderr, `Not started (${report.notStarted.length}):`);
      for (const c of report.notStarted)
        writeLine(io.stderr, escapeControl(`  ${c.action} ${c.name}`));
    }
    writeLine(
      io.stderr,
      'Run ldhooks apply again to finish: it plans from the live state and converges.',
    );
    return;
  }
  if (report.failed.length === 0 && !report.removedCopies.some((c) => c.error)) {
    writeLine(io.stdout, `\nApply complete: ${done}.`);
    return;
  }
  writeLine(
    io.stderr,
    `\nApply incomplete: ${done}; ${report.failed.length} of ${report.results.length} operations failed:`,
  );
  for (const r of report.failed)
    writeLine(io.stderr, escapeControl(`  ${r.action} ${r.change.name}: ${r.error}`));
  writeLine(
    io.stderr,
    'Fix the cause and run ldhooks apply again: it plans from the live state and converges.',
  );
}

/**
 * Applies with SIGINT and SIGTERM handled: the first stops new operations and lets those in
 * flight finish; a second stops at once.
 */
async function execute(port: WebhooksPort, run: PlanRun, flags: ApplyFlags, io: CliIO) {
  writeLine(io.stdout, '');
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
  try {
    report = await apply(port, run.plan, {
      parallelism: flags.parallelism,
      masker: run.masker,
      onResult: (r) => writeLine(r.error ? io.stderr : io.stdout, escapeControl(progressLine(r))),
      shouldStop: () => stoppedBy !== undefined,
    });
  } finally {
    for (const [signal, handler] of handlers) io.signals.off(signal, handler);
  }
  printReport(report, io, stoppedBy);
  if (stoppedBy) throw new InterruptedError(stoppedBy);
  if (report.failed.length > 0 || report.removedCopies.some((c) => c.error)) {
    throw new ApplyIncompleteError(report.failed.length);
  }
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

async function readPlanFile(name: string, io: CliIO): Promise<string> {
  try {
    return await readFile(path.resolve(io.cwd, name), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PlanFileError(
      `cannot read the plan ${name}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`,
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

async function applySaved(flags: ApplyFlags, paths: string[], io: CliIO, command: Command) {
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
  const { client, baseUri } = connect(flags, io, text);
  const run = await planFromSaved(text, client, {
    file: name,
    baseUri,
    env: io.env,
    keyMaterial: planKeyMaterial(io),
    secrets: tokenEntry(io),
    expected: { format: PLAN_FORMAT, version: PLAN_FORMAT_VERSION, ldhooksVersion: VERSION },
  });
  io.stdout.write(renderPlan(run.plan, flags, io));
  assertGuards(run);
  if (!hasChanges(run.plan)) return;
  await execute(client, run, flags, io);
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
          'Exit status: 0 success, 1 error or failed operation, 3 refused by a guard\n' +
          'or a stale plan.',
      )
      .argument('[PATH...]', 'config files or directories (default: .)')
      .option('--auto-approve', 'do not ask for confirmation (needed without a terminal)')
      .option(
        '--parallelism <n>',
        'operations in flight at once',
        parseInteger('--parallelism', 1, 64),
        4,
      )
      .option('--plan <file>', 'apply a plan saved with ldhooks plan --out'),
  ).action(async (paths: string[], flags: ApplyFlags, command: Command) => {
    if (flags.plan) return applySaved(flags, paths, io, command);
    const { run, client } = await planFromConfig(paths, flags, io);
    assertGuards(run);
    if (!hasChanges(run.plan)) return;
    if (!flags.autoApprove) {
      if (!io.stdin.isTTY || !io.stdout.isTTY) {
        throw new CliError(
          'apply needs confirmation, and there is no terminal to ask on: pass --auto-approve (in CI, after reviewing the plan)',
        );
      }
      const answer = await confirm(io);
      if (answer !== 'yes') {
        writeLine(io.stdout, '\nApply cancelled: nothing was changed.');
        if (answer === 'interrupted') throw new InterruptedError('SIGINT');
        return;
      }
    }
    await execute(client, run, flags, io);
  });
}
