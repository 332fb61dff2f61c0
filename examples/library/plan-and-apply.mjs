// ldhooks as a library, end to end against the bundled LaunchDarkly emulator: read and validate
// the config, plan, show the plan, apply it, and check a signed delivery as a receiver does.
// Nothing touches a real LaunchDarkly account.
//
//   node plan-and-apply.mjs webhooks/      (config files or directories; default: .)
import {
  apply,
  ConfigInvalidError,
  LaunchDarklyClient,
  loadConfig,
  plan,
  renderText,
  samplePayload,
  signBody,
  verifySignature,
} from 'ldhooks';
import { startEmulator } from 'ldhooks/emulator';

// A local LaunchDarkly webhooks API on a free loopback port, in memory.
const emulator = await startEmulator();
try {
  // Every file, validated; `${NAME}` reads process.env. A config with errors throws
  // ConfigInvalidError, whose problems each say file:line:col, what is wrong and what to do.
  const config = await loadConfig(process.argv.slice(2));

  // For your account: new LaunchDarklyClient(resolveApiSettings({ env: process.env })), which
  // reads LD_ACCESS_TOKEN and LD_BASE_URI as the CLI does.
  const launchDarkly = new LaunchDarklyClient({ baseUri: emulator.url, token: emulator.token });

  // One GET request. Values from the environment show as their ${NAME} templates.
  const run = await plan(config, launchDarkly);
  process.stdout.write(renderText(run.plan));

  // One request per change. A plan a guard refused (run.refusal) throws GuardRefusedError.
  const report = await apply(launchDarkly, run);
  const { created, updated, deleted, failed } = report;
  console.log(`Applied: ${created} created, ${updated} updated, ${deleted} deleted.`);
  for (const f of failed) console.error(`Failed to ${f.action} ${f.change.name}: ${f.error}`);
  if (failed.length > 0) process.exitCode = 1;

  // The receiving end: LaunchDarkly signs each delivery with the webhook's secret, in the
  // X-LD-Signature header. A receiver checks it against the raw body, before parsing it.
  const secret = config.webhooks.find((webhook) => webhook.secret)?.secret;
  if (secret) {
    const body = samplePayload();
    const header = signBody(body, secret); // what LaunchDarkly sends
    // During a rotation, accept the new secret and the old one: secretIndex says which matched.
    const result = verifySignature(body, header, ['a-newer-secret', secret]);
    console.log(`A signed delivery: ${JSON.stringify(result)}`);
    const forged = verifySignature(`${body} `, header, secret);
    console.log(`The same delivery, altered: ${JSON.stringify(forged)}`);
  }
} catch (error) {
  if (!(error instanceof ConfigInvalidError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await emulator.close();
}
