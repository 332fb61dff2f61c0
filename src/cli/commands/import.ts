import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { parseYamlSource } from '../../adapters/fs/yaml-source.js';
import { validateConfig } from '../../core/config/validate.js';
import { DEFAULT_OWNER_TAG, importWebhooks } from '../../core/import/convert.js';
import { Masker, variablesOf } from '../../core/mask.js';
import { formatProblem, type Problem } from '../../core/problem.js';
import { PACKAGE_ROOT } from '../../version.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { ownerTagOption } from './plan.js';
import {
  connect,
  type RemoteFlags,
  readOfflineConfig,
  remoteOptions,
  tokenEntry,
} from './remote.js';

interface ImportFlags extends RemoteFlags {
  all?: boolean;
  out?: string;
  keepLiveSecrets?: boolean;
  ownerTag: string;
}

/** The file `--out DIR` writes: one file for the whole import. */
export const IMPORT_FILE = 'webhooks.yaml';

/** The schema shipped with the package. */
const SCHEMA_FILE = path.join(PACKAGE_ROOT, 'schemas', 'ldhooks.schema.json');

export function registerImport(program: Command, io: CliIO): void {
  remoteOptions(
    program
      .command('import')
      .summary('write a config from the webhooks LaunchDarkly has')
      .description(
        'Read the account (one GET) and write a config that plans to no changes: the webhooks\n' +
          'that carry the owner tag, or with --all every webhook (the unmanaged ones as\n' +
          'adopt: true). Secrets are never written: each signed webhook gets\n' +
          'secret: ${LDHOOKS_SECRET_<NAME>}, or with --keep-live-secrets sign: true.\n' +
          'Given PATH (an existing config), webhooks it declares are not imported again.',
      )
      .argument('[path...]', 'an existing config whose webhooks are left out')
      .option('--all', 'import every webhook, not only those with the owner tag')
      .option('--out <dir>', `write ${IMPORT_FILE} in this directory (else standard output)`)
      .option('--keep-live-secrets', 'write sign: true and keep the live secrets')
      .option(
        '--owner-tag <tag>',
        'the owner tag of the config written (managed-by-...)',
        ownerTagOption,
        DEFAULT_OWNER_TAG,
      ),
  ).action(async (paths: string[], flags: ImportFlags) => {
    const existing = paths.length > 0 ? await readOfflineConfig(paths, io) : undefined;
    const declared = existing ? new Set(existing.webhooks.map((d) => d.name)) : undefined;
    // Variables the existing config reads: a new secret variable must not be one of them.
    const reservedVariables = new Set(
      (existing?.webhooks ?? []).flatMap((d) =>
        [...d.sensitive.map((e) => e.shown), d.secretTemplate ?? ''].flatMap(variablesOf),
      ),
    );
    const target = flags.out ? path.resolve(io.cwd, flags.out, IMPORT_FILE) : undefined;
    const schema = path
      .relative(target ? path.dirname(target) : io.cwd, SCHEMA_FILE)
      .split(path.sep)
      .join('/');
    const { client } = connect(flags, io);
    const live = await client.list();
    const result = importWebhooks(live, {
      ownerTag: flags.ownerTag,
      all: flags.all ?? false,
      keepLiveSecrets: flags.keepLiveSecrets ?? false,
      schema,
      ...(declared ? { declared } : {}),
      reservedVariables,
    });
    // The document holds no secret by construction (a secret is never read into it); the notes
    // are masked as well, in case a name holds a secret or the token.
    const masker = new Masker([
      ...tokenEntry(io),
      ...live.flatMap((l) => (l.secret ? [{ value: l.secret, shown: '(sensitive)' }] : [])),
    ]);
    const text = result.text;
    if (masker.text(text) !== text) {
      throw new CliError(
        "a live webhook's name, URL or statements hold the access token or a webhook secret, and import writes no secret: remove it from that webhook in LaunchDarkly, then import again",
      );
    }
    if (target) {
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await writeFile(target, text, { flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST')
          throw new CliError(
            `${path.relative(io.cwd, target) || target} exists already: import never overwrites a file; remove it or choose another --out`,
          );
        throw e;
      }
    } else io.stdout.write(text);
    for (const note of result.notes) writeLine(io.stderr, `ldhooks: ${masker.text(note)}`);
    if (result.secretVariables.length > 0) {
      writeLine(io.stderr, 'ldhooks: set these variables to the live secrets before planning:');
      for (const v of result.secretVariables)
        writeLine(io.stderr, `  ${v.variable}  (${masker.text(v.webhook)}, ${v.id})`);
    }
    const tokenish = importedUrlsWithPath(text);
    if (tokenish.length > 0) {
      writeLine(
        io.stderr,
        `ldhooks: these URLs have a path, query or user part, which may carry a token (Slack's do): move each to the environment (url: \${NAME}) before committing: ${tokenish.map((n) => masker.text(n)).join(', ')}`,
      );
    }
    const problems = checkImported(text, target ?? 'standard output');
    const where = target ? ` to ${path.relative(io.cwd, target) || target}` : '';
    writeLine(
      io.stderr,
      `ldhooks: imported ${result.imported} webhook${result.imported === 1 ? '' : 's'}${where} (${result.adopted} to adopt, ${result.skipped.length} not imported)`,
    );
    if (problems.length > 0) {
      for (const p of problems) writeLine(io.stderr, masker.text(formatProblem(p)));
      throw new CliError(
        `the config import wrote does not validate: a live value the config format refuses (listed above); fix or remove those webhooks${where ? ` in ${path.relative(io.cwd, target as string) || target}` : ''} before planning`,
      );
    }
  });
}

/**
 * The written config, checked as validate would check it (its secret variables not set yet):
 * LaunchDarkly may hold values the config format refuses (a URL with a space, an odd statement).
 */
function checkImported(text: string, file: string): Problem[] {
  const parsed = parseYamlSource(file, text, {}, new Set());
  const validated = validateConfig(parsed.documents);
  return [...parsed.problems, ...validated.problems].filter((p) => p.severity === 'error');
}

/** Names of imported webhooks whose URL has more than a scheme and host. */
function importedUrlsWithPath(text: string): string[] {
  const parsed = parseYamlSource('import', text, {}, new Set());
  const doc = parsed.documents[0]?.value as
    | { webhooks?: { name?: unknown; url?: unknown }[] }
    | undefined;
  return (doc?.webhooks ?? []).flatMap((w) => {
    if (typeof w.url !== 'string' || typeof w.name !== 'string') return [];
    const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/s.exec(w.url);
    const [, authority = '', rest = ''] = m ?? [];
    return authority.includes('@') || (rest !== '' && rest !== '/') ? [w.name] : [];
  });
}
