import { type Command, Option } from 'commander';
import type { DesiredWebhook } from '../../core/model.js';
import { ALL_ACTIONS } from '../../core/policy/catalog.js';
import type { Resource } from '../../core/policy/evaluate.js';
import { parseResource } from '../../core/policy/evaluate.js';
import { explain, explainActions } from '../../core/policy/explain.js';
import { closest } from '../../core/suggest.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { collect, readValidConfig } from './remote.js';

interface ExplainFlags {
  resource: string;
  action: string;
  tag?: string[];
  format: 'text' | 'json';
}

export function registerExplain(program: Command, io: CliIO): void {
  program
    .command('explain')
    .summary('which declared webhooks receive an event, and which statement decides')
    .description(
      'Answer "which webhooks fire when someone turns on flag X in production?"\n' +
        'offline, from the config: for every declared webhook, whether it receives\n' +
        'the event, and the statement that decided it (a deny beats any allow;\n' +
        'without statements, LaunchDarkly sends flag changes in production only).\n\n' +
        'Example:\n' +
        '  ldhooks explain --resource proj/mobile:env/production:flag/checkout \\\n' +
        '                  --action updateOn --tag flag=payments examples/',
    )
    .argument('[PATH...]', 'config files or directories (default: .)')
    .requiredOption(
      '--resource <spec>',
      'the concrete resource, such as proj/mobile:env/production:flag/checkout',
    )
    .requiredOption('--action <action>', 'the action, such as updateOn')
    .option(
      '--tag <kind=tag>',
      'a tag of one resource segment, such as flag=payments (repeatable)',
      collect,
    )
    .addOption(
      new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'),
    )
    .action(async (paths: string[], flags: ExplainFlags) => {
      const parsed = parseResource(flags.resource);
      if (!parsed.resource) throw new CliError(`--resource ${flags.resource}: ${parsed.error}`);
      const resource = parsed.resource;
      for (const tag of flags.tag ?? []) {
        const [kind, value] = tag.split('=', 2);
        const segment = resource.segments.find((s) => s.kind === kind);
        if (!kind || !value || !segment) {
          throw new CliError(
            `--tag ${tag}: write KIND=TAG with a kind of the resource (${resource.segments.map((s) => s.kind).join(', ')})`,
          );
        }
        segment.tags.push(value);
      }
      if (!ALL_ACTIONS.includes(flags.action) && flags.action !== '*') {
        const guess = closest(flags.action, ALL_ACTIONS);
        writeLine(
          io.stderr,
          `warning: unknown action "${flags.action}"${guess ? `, did you mean "${guess}"?` : ''}`,
        );
      }
      const config = await readValidConfig(paths, io);
      if (flags.action === '*') return explainEveryAction(config.webhooks, resource, flags, io);
      const results = explain(config.webhooks, resource, flags.action);
      if (flags.format === 'json') {
        writeLine(
          io.stdout,
          JSON.stringify(
            {
              format_version: 1,
              resource: flags.resource,
              action: flags.action,
              tags: flags.tag ?? [],
              webhooks: results,
            },
            null,
            2,
          ),
        );
        return;
      }
      writeLine(
        io.stdout,
        `Event: ${flags.action} on ${flags.resource}${flags.tag?.length ? ` (tags: ${flags.tag.join(', ')})` : ''}\n`,
      );
      for (const r of results) {
        const where = r.statement
          ? ` (${r.statement.path} at ${r.statement.file}:${r.statement.line}:${r.statement.column})`
          : '';
        writeLine(
          io.stdout,
          `${r.received ? '+' : '-'} ${r.name} ${r.received ? 'receives it' : 'does not receive it'}: ${r.reason}${where}`,
        );
      }
      const count = results.filter((r) => r.received).length;
      writeLine(io.stdout, `\n${count} of ${results.length} webhooks receive this event.`);
    });
}

/** `--action '*'`: the catalog's actions for the resource's kind, expanded, per webhook. */
function explainEveryAction(
  webhooks: DesiredWebhook[],
  resource: Resource,
  flags: ExplainFlags,
  io: CliIO,
): void {
  const kind = resource.segments.at(-1)?.kind ?? '';
  const result = explainActions(webhooks, resource);
  if (!result) {
    throw new CliError(
      `ldhooks does not know the actions of "${kind}" resources, so it cannot expand *; name an action with --action`,
    );
  }
  if (flags.format === 'json') {
    const doc = {
      format_version: 1,
      resource: flags.resource,
      action: '*',
      tags: flags.tag ?? [],
      actions: result.actions,
      webhooks: result.webhooks,
    };
    writeLine(io.stdout, JSON.stringify(doc, null, 2));
    return;
  }
  const total = result.actions.length;
  writeLine(io.stdout, `Every ${kind} action (${total} known to ldhooks) on ${flags.resource}:\n`);
  for (const w of result.webhooks) {
    const n = w.received.length;
    const which = !w.on
      ? 'none, the webhook is off (on: false)'
      : n === 0
        ? 'none'
        : n === total
          ? 'all'
          : w.received.join(', ');
    writeLine(io.stdout, `${n > 0 ? '+' : '-'} ${w.name} receives ${n} of ${total}: ${which}`);
  }
}
