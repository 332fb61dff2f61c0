import type { Command } from 'commander';
import { readConfig } from '../../adapters/fs/config-source.js';
import { describeNetworkFailure } from '../../adapters/network-failure.js';
import { escapeControl } from '../../core/escape.js';
import { excerpt, Masker, variableEntries } from '../../core/mask.js';
import { hasErrors } from '../../core/problem.js';
import { samplePayload } from '../../core/sample-payload.js';
import { SIGNATURE_HEADER, signBody } from '../../core/signature.js';
import { closest } from '../../core/suggest.js';
import { ConfigInvalidError } from '../../engine/errors.js';
import { VERSION } from '../../version.js';
import { CliError, type CliIO, printProblems, writeLine } from '../io.js';

/** How long ping waits for the receiver's answer. */
export const PING_TIMEOUT_MS = 10_000;
/** How much of the receiver's answer ping prints. */
const ANSWER_CHARS = 200;
/** How much of the receiver's reason phrase (the text after the status code) ping prints. */
const REASON_CHARS = 100;

/** The path as a server may repeat it, percent-decoded, when that differs. */
function decoded(pathname: string): string[] {
  try {
    const d = decodeURIComponent(pathname);
    return d !== pathname && d.length > 1 ? [d] : [];
  } catch {
    return [];
  }
}

export function registerPing(program: Command, io: CliIO): void {
  program
    .command('ping')
    .summary("send a sample signed delivery to a declared webhook's URL")
    .description(
      'POST a sample change-history entry (a flag turned on in production, the format\n' +
        'LaunchDarkly sends) to the URL of the declared webhook NAME, signed with its\n' +
        'declared secret in X-LD-Signature, as LaunchDarkly would sign it; print the\n' +
        "receiver's status and latency. Reads the config with the environment (every\n" +
        'variable must be set). Only the origin of the URL is printed, never its path\n' +
        'or the secret. Exit 0 on a 2xx answer, 1 otherwise.',
    )
    .argument('<NAME>', 'the name of a declared webhook')
    .argument('[PATH...]', 'config files or directories (default: .)')
    .action(async (name: string, paths: string[]) => {
      const config = await readConfig(paths, { env: io.env, cwd: io.cwd, fs: io.fs });
      if (hasErrors(config.problems)) {
        throw new ConfigInvalidError(
          config.problems,
          'the configuration is not valid (ldhooks validate shows the same problems)',
        );
      }
      printProblems(config.problems, io);
      const webhook = config.webhooks.find((w) => w.name === name);
      const names = config.webhooks.map((w) => w.name);
      const everything = new Masker([
        ...config.webhooks.flatMap((w) => w.sensitive),
        ...variableEntries(
          config.webhooks.flatMap((w) => w.sensitive),
          io.env,
        ),
      ]);
      if (!webhook) {
        const guess = closest(name, names);
        throw new CliError(
          everything.text(
            `no webhook named "${name}" in ${config.files.length} config file${config.files.length === 1 ? '' : 's'}` +
              (guess ? `; did you mean "${guess}"?` : names.length === 0 ? ' (none declared)' : ''),
          ),
        );
      }
      const url = new URL(webhook.url);
      const pathAndQuery = `${url.pathname}${url.search}${url.hash}`;
      const masker = new Masker([
        ...webhook.sensitive,
        ...variableEntries(webhook.sensitive, io.env),
        ...(pathAndQuery.length > 1 ? [{ value: pathAndQuery, shown: '/(path not shown)' }] : []),
        ...(url.pathname.length > 1 ? [{ value: url.pathname, shown: '/(path not shown)' }] : []),
        ...(url.search.length > 1 ? [{ value: url.search, shown: '?(query not shown)' }] : []),
        ...decoded(url.pathname).map((value) => ({ value, shown: '/(path not shown)' })),
        ...(url.username || url.password
          ? [{ value: `${url.username}:${url.password}`, shown: '(credentials)' }]
          : []),
        // The receiver has no business knowing it, but a proxy in between might repeat it.
        ...[io.env.LD_ACCESS_TOKEN, io.env.LAUNCHDARKLY_ACCESS_TOKEN].flatMap((value) =>
          value ? [{ value, shown: '(access token)' }] : [],
        ),
      ]).merge(everything);
      const shownName = escapeControl(masker.text(webhook.name));
      const target = `${shownName} at ${masker.text(url.origin)}`;

      const body = samplePayload(io.clock?.now());
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': `ldhooks/${VERSION} (ping)`,
      };
      let how: string;
      if (webhook.secret) {
        headers[SIGNATURE_HEADER] = signBody(body, webhook.secret);
        how = `signed with its declared secret (${SIGNATURE_HEADER})`;
      } else if (webhook.sign) {
        how =
          'unsigned: it signs with a secret LaunchDarkly generated, which the config does not hold (declare it with secret: ${NAME} to send it signed)';
      } else {
        how = 'unsigned (sign: false)';
      }
      writeLine(io.stdout, `ping ${target}: sample flag change, ${how}`);
      if (!webhook.on) writeLine(io.stdout, `note: ${shownName} is off (on: false) in the config`);

      const started = performance.now();
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(PING_TIMEOUT_MS),
        });
      } catch (e) {
        const err = e as Error;
        if (err.name === 'TimeoutError' || err.name === 'AbortError')
          throw new CliError(`no answer from ${target} within ${PING_TIMEOUT_MS / 1000} s`);
        throw new CliError(
          masker.text(
            `could not reach ${target}: ${describeNetworkFailure(err)}; check that the receiver runs and that the webhook's URL points at it`,
          ),
        );
      }
      let text: string;
      let unfinished = false;
      try {
        text = await response.text();
      } catch {
        // The timeout also covers the body: an answer that never ends is cut there.
        text = '';
        unfinished = true;
      }
      const ms = Math.round(performance.now() - started);
      // Everything the receiver said is masked first (the URL's path and query, the secret,
      // every environment value, in every form), then cut, then escaped: as the client does.
      const reason = excerpt(masker, response.statusText, REASON_CHARS);
      const status = `${response.status}${reason ? ` ${reason}` : ''}`;
      writeLine(
        io.stdout,
        `${status} in ${ms} ms${unfinished ? ' (its body did not arrive in full; not read)' : ''}`,
      );
      if (response.status >= 200 && response.status < 300) return;
      const said = excerpt(masker, text, ANSWER_CHARS);
      throw new CliError(`${target} answered ${status}${said ? `: ${said}` : ''}`);
    });
}
