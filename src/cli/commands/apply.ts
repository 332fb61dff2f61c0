import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Operation } from '../../core/model.js';
import { computePlan, hasChanges } from '../../core/plan/plan.js';
import { toPlanJson } from '../../core/plan/plan-file.js';
import type { WebhooksPort } from '../../core/port.js';
import { applyOperations, type OperationResult } from '../../engine/apply.js';
import {
  checkLiveUnchanged,
  PlanFileError,
  parsePlanFile,
  restoreDesired,
  StalePlanError,
} from '../../engine/saved-plan.js';
import { VERSION } from '../../version.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { parseInteger } from '../options.js';
import { type PlanFlags, planFromConfig, planOptions, planRenderer } from './plan.js';
import { connect, listLive } from './remote.js';

interface ApplyFlags extends PlanFlags {
  autoApprove?: boolean;
  parallelism: number;
  plan?: string;
}

const shortId = (id: string) => `${id.slice(0, 8)}…`;

function progressLine(r: OperationResult): string {
  const o = r.operation;
  if (r.error) return `! failed to ${o.action} ${o.name}: ${r.error.message}`;
  const id = o.action === 'create' ? (r.webhook?.id ?? '') : o.id;
  const verb = { create: '+ created', update: '~ updated', delete: '- deleted' }[o.action];
  const repaired = r.repaired
    ? `; then set ${r.repaired.join(', ')}, which LaunchDarkly did not take on create`
    : '';
  return `${verb} ${o.name} (${shortId(id)})${repaired}`;
}

async function execute(
  port: WebhooksPort,
  operations: Operation[],
  ownerTags: string[],
  flags: ApplyFlags,
  io: CliIO,
  setExit: (c: number) => void,
) {
  writeLine(io.stdout, '');
  const results = await applyOperations(port, operations, {
    parallelism: flags.parallelism,
    ownerTags,
    onResult: (r) => writeLine(r.error ? io.stderr : io.stdout, progressLine(r)),
  });
  const ok = results.filter((r) => !r.error);
  const count = (a: Operation['action']) => ok.filter((r) => r.operation.action === a).length;
  const failed = results.filter((r) => r.error);
  const done = `${count('create')} created, ${count('update')} updated, ${count('delete')} deleted`;
  if (failed.length === 0) {
    writeLine(io.stdout, `\nApply complete: ${done}.`);
    return;
  }
  writeLine(
    io.stderr,
    `\nApply incomplete: ${done}; ${failed.length} of ${results.length} operations failed:`,
  );
  for (const r of failed)
    writeLine(io.stderr, `  ${r.operation.action} ${r.operation.name}: ${r.error?.message}`);
  writeLine(
    io.stderr,
    'Fix the cause and run ldhooks apply again: it plans from the live state and converges.',
  );
  setExit(1);
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

async function applySaved(
  flags: ApplyFlags,
  paths: string[],
  io: CliIO,
  setExit: (c: number) => void,
) {
  if (paths.length > 0)
    throw new CliError(
      'apply --plan takes no PATH: the saved plan already holds the configuration',
    );
  const file = path.resolve(io.cwd, flags.plan as string);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(
      `cannot read the plan ${flags.plan}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  try {
    const saved = parsePlanFile(text, flags.plan as string);
    const { client, baseUri } = connect(flags, io);
    if (baseUri !== saved.saved.base_uri) {
      throw new CliError(
        `the plan was made against ${saved.saved.base_uri}, but ldhooks now points at ${baseUri}; plan again against this account`,
      );
    }
    const live = await listLive(client);
    checkLiveUnchanged(saved, live);
    const desired = restoreDesired(saved, io.env);
    const result = computePlan({
      desired,
      live,
      ownerTags: saved.owner_tags,
      adopt: saved.saved.options.adopt,
      targets: saved.saved.options.targets,
    });
    if (
      result.problems.length > 0 ||
      JSON.stringify(toPlanJson(result.plan, VERSION).changes) !== JSON.stringify(saved.changes)
    ) {
      throw new StalePlanError('the plan no longer matches what it would do now; plan again');
    }
    io.stdout.write(planRenderer(flags, io)(result.plan));
    if (!hasChanges(result.plan)) return;
    await execute(client, result.operations, saved.owner_tags, flags, io, setExit);
  } catch (e) {
    if (e instanceof StalePlanError) throw new CliError(e.message, 3);
    if (e instanceof PlanFileError) throw new CliError(e.message);
    throw e;
  }
}

export function registerApply(program: Command, io: CliIO, setExit: (code: number) => void): void {
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
          'the same sensitive values (else exit 3).\n\n' +
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
    if (flags.plan) return applySaved(flags, paths, io, setExit);
    const { client, config, result } = await planFromConfig(paths, flags, io);
    if (!hasChanges(result.plan)) return;
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
    await execute(client, result.operations, config.ownerTags, flags, io, setExit);
  });
}
