import { type Command, Option } from 'commander';
import { escapeControl } from '../../core/escape.js';
import { Masker, SENSITIVE, variableEntries } from '../../core/mask.js';
import type { DesiredWebhook } from '../../core/model.js';
import { ALL_ACTIONS } from '../../core/policy/catalog.js';
import type { Resource } from '../../core/policy/evaluate.js';
import { parseResource } from '../../core/policy/evaluate.js';
import { explain, explainActions } from '../../core/policy/explain.js';
import { closest } from '../../core/suggest.js';
import { VERSION } from '../../version.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { collect, readOfflineConfig } from './remote.js';

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
        'without statements, LaunchDarkly sends flag changes in production only).\n' +
        'Where a {property:value} selector decides, it says "may receive": ldhooks\n' +
        'cannot evaluate selectors.\n\n' +
        'Example:\n' +
        '  ldhooks explain --resource proj/mobile:env/production:flag/checkout \\\n' +
        '                  --action updateOn --tag flag=payments examples/',
    )
    .argument('[PATH...]', 'config files or directories (default: .)')
    .requiredOption(
      '--resource <spec>',
      'the concrete resource, such as proj/mobile:env/production:flag/checkout (required)',
    )
    .requiredOption(
      '--action <action>',
      'the action, such as updateOn, or * for every one (required)',
    )
    .option(
      '--tag <kind=tag>',
      'a tag of one resource segment, such as flag=payments (repeatable)',
      collect,
    )
    .addOption(
      new Option('--format <format>', 'text, or json for tools')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action(async (paths: string[], flags: ExplainFlags) => {
      const parsed = parseResource(flags.resource);
      if (!parsed.resource)
        throw new CliError(`--resource ${escapeControl(flags.resource)}: ${parsed.error}`);
      const resource = parsed.resource;
      for (const warning of parsed.warnings ?? [])
        writeLine(io.stderr, `warning: --resource ${flags.resource}: ${warning}`);
      for (const tag of flags.tag ?? []) {
        const [kind, value] = tag.split('=', 2);
        const segment = resource.segments.find((s) => s.kind === kind);
        if (!kind || !value || !segment) {
          throw new CliError(
            `--tag ${escapeControl(tag)}: write KIND=TAG with a kind of the resource (${resource.segments.map((s) => s.kind).join(', ')})`,
          );
        }
        segment.tags.push(value);
      }
      if (!ALL_ACTIONS.includes(flags.action) && flags.action !== '*') {
        const guess = closest(flags.action, ALL_ACTIONS);
        writeLine(
          io.stderr,
          escapeControl(
            `warning: unknown action "${flags.action}"${guess ? `, did you mean "${guess}"?` : ''}`,
          ),
        );
      }
      const config = await readOfflineConfig(paths, io);
      if (config.unsetVariables && config.unsetVariables.length > 0) {
        writeLine(
          io.stderr,
          `not set, so treated as unknown (an answer that depends on one says "may receive"): ${config.unsetVariables.join(', ')}`,
        );
      }
      const masker = configMasker(config.webhooks, io.env);
      // The query is the user's own text, from the command line, not from the environment:
      // shown as typed. Masking a word of it that happens to equal a value of the environment
      // would show what was not typed, and tell whoever sees the command line that value.
      // Secrets alone stay hidden, wherever they come from.
      const secrets = secretMasker(config.webhooks);
      const event = {
        resource: secrets.text(flags.resource),
        action: secrets.text(flags.action),
        tags: (flags.tag ?? []).map((t) => secrets.text(t)),
      };
      if (flags.action === '*') {
        return explainEveryAction(config.webhooks, resource, event, flags, masker, io);
      }
      const results = explain(config.webhooks, resource, flags.action, masker);
      if (flags.format === 'json') {
        writeLine(
          io.stdout,
          JSON.stringify(
            {
              format: EXPLAIN_FORMAT,
              format_version: 1,
              ldhooks_version: VERSION,
              resource: event.resource,
              action: event.action,
              tags: event.tags,
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
        `${escapeControl(`Event: ${event.action} on ${event.resource}${event.tags.length ? ` (tags: ${event.tags.join(', ')})` : ''}`)}\n`,
      );
      for (const r of results) {
        const where = r.statement
          ? ` (${r.statement.path} at ${r.statement.file}:${r.statement.line}:${r.statement.column})`
          : '';
        const verdict = r.received
          ? `+ ${r.name} receives it: `
          : r.mayReceive
            ? `? ${r.name} `
            : `- ${r.name} does not receive it: `;
        writeLine(io.stdout, escapeControl(`${verdict}${r.reason}${where}`));
      }
      const count = results.filter((r) => r.received).length;
      const may = results.filter((r) => r.mayReceive).length;
      const maybe =
        may > 0
          ? `; ${may} more may, depending on {property:value} selectors ldhooks cannot evaluate`
          : '';
      writeLine(io.stdout, `\n${count} of ${results.length} webhooks receive this event${maybe}.`);
    });
}

/** The `format` of `explain --format json`, as the plan's and the reports' documents have one. */
export const EXPLAIN_FORMAT = 'ldhooks-explain';

/** The declared secrets: never shown, not even in what the user typed. */
function secretMasker(webhooks: readonly DesiredWebhook[]): Masker {
  return new Masker(
    webhooks.flatMap((w) =>
      w.secret !== undefined ? [{ value: w.secret, shown: SENSITIVE }] : [],
    ),
  );
}

/** Every value the config read from the environment, as the plan masks them. */
function configMasker(
  webhooks: readonly DesiredWebhook[],
  env: Readonly<Record<string, string | undefined>>,
): Masker {
  const entries = webhooks.flatMap((w) => w.sensitive);
  return new Masker([...entries, ...variableEntries(entries, env)]);
}

/** `--action '*'`: the catalog's actions for the resource's kind, expanded, per webhook. */
function explainEveryAction(
  webhooks: DesiredWebhook[],
  resource: Resource,
  event: { resource: string; action: string; tags: string[] },
  flags: ExplainFlags,
  masker: Masker,
  io: CliIO,
): void {
  const kind = resource.segments.at(-1)?.kind ?? '';
  const result = explainActions(webhooks, resource, masker);
  if (!result) {
    throw new CliError(
      `ldhooks does not know the actions of "${escapeControl(kind)}" resources, so it cannot expand *; name an action with --action`,
    );
  }
  if (flags.format === 'json') {
    const doc = {
      format: EXPLAIN_FORMAT,
      format_version: 1,
      ldhooks_version: VERSION,
      resource: event.resource,
      action: '*',
      tags: event.tags,
      actions: result.actions,
      webhooks: result.webhooks,
    };
    writeLine(io.stdout, JSON.stringify(doc, null, 2));
    return;
  }
  const total = result.actions.length;
  writeLine(
    io.stdout,
    `${escapeControl(`Every ${kind} action (${total} known to ldhooks) on ${event.resource}:`)}\n`,
  );
  for (const w of result.webhooks) {
    const n = w.received.length;
    const m = w.mayReceive.length;
    const which = !w.on
      ? 'none, the webhook is off (on: false)'
      : n === 0
        ? m > 0
          ? 'none for certain'
          : 'none'
        : n === total
          ? 'all'
          : w.received.join(', ');
    const maybe =
      m > 0
        ? `; may receive ${m} more, depending on ${w.dependsOn.join(', ')}: ${w.mayReceive.join(', ')}`
        : '';
    const symbol = n > 0 ? '+' : m > 0 ? '?' : '-';
    writeLine(
      io.stdout,
      escapeControl(`${symbol} ${w.name} receives ${n} of ${total}: ${which}${maybe}`),
    );
  }
}
