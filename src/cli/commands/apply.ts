import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { escapeControl } from '../../core/escape.js';
import { hasChanges } from '../../core/plan/plan.js';
import type { WebhooksPort } from '../../core/port.js';
import { type ApplyReport, apply, type OperationResult } from '../../engine/apply.js';
import { planFromSaved } from '../../engine/apply-saved.js';
import { ApplyIncompleteError, PlanFileError } from '../../engine/errors.js';
import { assertGuards, type PlanRun } from '../../engine/plan.js';
import { PLAN_FORMAT, PLAN_FORMAT_VERSION } from '../../render/plan-schema.js';
import { VERSION } from '../../version.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { parseInteger } from '../options.js';
import { type PlanFlags, planFromConfig, planOptions, renderPlan } from './plan.js';
import { connect } from './remote.js';

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

function printReport(report: ApplyReport, io: CliIO): void {
  const done = `${report.created} created, ${report.updated} updated, ${report.deleted} deleted`;
  if (report.failed.length === 0) {
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

async function execute(port: WebhooksPort, run: PlanRun, flags: ApplyFlags, io: CliIO) {
  writeLine(io.stdout, '');
  const report = await apply(port, run.plan, {
    parallelism: flags.parallelism,
    masker: run.masker,
    onResult: (r) => writeLine(r.error ? io.stderr : io.stdout, escapeControl(progressLine(r))),
  });
  printReport(report, io);
  if (report.failed.length > 0) throw new ApplyIncompleteError(report.failed.length);
}

async function confirm(io: CliIO): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stdout });
  try {
    const answer = await rl.question(
      "\nDo you want to apply these changes? Only 'yes' is accepted: ",
    );
    return answer.trim() === 'yes';
  } finally {
    rl.close();
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

async function applySaved(flags: ApplyFlags, paths: string[], io: CliIO) {
  if (paths.length > 0) {
    throw new CliError(
      'apply --plan takes no PATH: the saved plan already holds the configuration',
    );
  }
  const name = flags.plan as string;
  const text = await readPlanFile(name, io);
  const { client, baseUri } = connect(flags, io, text);
  const run = await planFromSaved(text, client, {
    file: name,
    baseUri,
    env: io.env,
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
  ).action(async (paths: string[], flags: ApplyFlags) => {
    if (flags.plan) return applySaved(flags, paths, io);
    const { run, client } = await planFromConfig(paths, flags, io);
    assertGuards(run);
    if (!hasChanges(run.plan)) return;
    if (!flags.autoApprove) {
      if (!io.stdin.isTTY || !io.stdout.isTTY) {
        throw new CliError(
          'apply needs confirmation, and there is no terminal to ask on: pass --auto-approve (in CI, after reviewing the plan)',
        );
      }
      if (!(await confirm(io))) {
        writeLine(io.stdout, 'Apply cancelled: nothing was changed.');
        return;
      }
    }
    await execute(client, run, flags, io);
  });
}
