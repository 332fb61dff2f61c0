// The quick start: ldhooks end to end against the bundled LaunchDarkly emulator.
// Starts the emulator on a free loopback port, plans examples/, applies, plans again, stops.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../dist/adapters/emulator/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The command the package ships (its `bin`: the bundle of scripts/bundle-cli.mjs).
const cli = path.join(
  root,
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).bin.ldhooks,
);

const emulator = await startEmulator({ port: 0 });
const env = { ...process.env, LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token };
let failed = false;

// The emulator runs in this process, so the CLI runs asynchronously beside it.
async function step(title, args, expected) {
  if (failed) return;
  console.log(`\n==> ${title}\n$ ldhooks ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, env, stdio: 'inherit' });
  const status = await new Promise((resolve) => child.on('close', resolve));
  if (status !== expected) {
    console.error(
      `\nquick start: "ldhooks ${args.join(' ')}" exited with ${status}, expected ${expected}`,
    );
    failed = true;
  }
}

try {
  console.log(
    `Started the LaunchDarkly webhooks emulator at ${emulator.url} (in memory; it stops at the end).`,
  );
  console.log(
    'ldhooks talks to it through LD_BASE_URI and LD_ACCESS_TOKEN, as it would to LaunchDarkly.',
  );
  await step('1. Validate the example configs (offline)', ['validate', 'examples/'], 0);
  await step(
    '2. Plan: what would change in LaunchDarkly? (one GET request)',
    ['plan', 'examples/'],
    0,
  );
  await step(
    '3. Apply the plan (--auto-approve: no question asked)',
    ['apply', 'examples/', '--auto-approve'],
    0,
  );
  await step(
    '4. Plan again: nothing left to do (exit 0 with --detailed-exitcode)',
    ['plan', 'examples/', '--detailed-exitcode'],
    0,
  );
  const counts = emulator.counts();
  console.log(`\nRequests the emulator received: ${JSON.stringify(counts)}`);
} finally {
  await emulator.close();
  console.log('Stopped the emulator.');
}
if (failed) process.exit(1);
console.log(
  '\nNext: point ldhooks at your account with LD_ACCESS_TOKEN, write your own configs, and run ldhooks plan.',
);
