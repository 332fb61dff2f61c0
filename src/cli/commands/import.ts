import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { DEFAULT_OWNER_TAG, importWebhooks } from '../../core/import/convert.js';
import { Masker } from '../../core/mask.js';
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

/** The schema shipped with the package (src/cli/commands or dist/cli/commands, three up). */
const SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/ldhooks.schema.json', import.meta.url));

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
    const declared =
      paths.length > 0
        ? new Set((await readOfflineConfig(paths, io)).webhooks.map((d) => d.name))
        : undefined;
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
    });
    // The document holds no secret by construction (a secret is never read into it); the notes
    // are masked as well, in case a name holds a secret or the token.
    const masker = new Masker([
      ...tokenEntry(io),
      ...live.flatMap((l) => (l.secret ? [{ value: l.secret, shown: '(sensitive)' }] : [])),
    ]);
    const text = result.text;
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
    const where = target ? ` to ${path.relative(io.cwd, target) || target}` : '';
    writeLine(
      io.stderr,
      `ldhooks: imported ${result.imported} webhook${result.imported === 1 ? '' : 's'}${where} (${result.adopted} to adopt, ${result.skipped.length} not imported)`,
    );
  });
}
