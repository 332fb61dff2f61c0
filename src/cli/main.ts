#!/usr/bin/env node
import { Writable } from 'node:stream';
import { run } from './program.js';

/**
 * A reader that stops early (`ldhooks plan | head`) is not an error, and must not stop the work
 * half-way: after EPIPE the output is dropped and the command runs to its end, so an apply
 * whose output nobody reads still finishes, and its exit code still tells how it went.
 */
function unlessClosed(target: NodeJS.WriteStream): Writable & { isTTY?: boolean } {
  let closed = false;
  target.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  const stream = new Writable({
    write(chunk, encoding, done) {
      if (closed) return done();
      target.write(chunk, encoding, () => done());
    },
  });
  return Object.assign(stream, { isTTY: target.isTTY });
}

const code = await run(process.argv.slice(2), {
  stdout: unlessClosed(process.stdout),
  stderr: unlessClosed(process.stderr),
  // Only apply's question reads it: made when first asked for, as creating it (a socket, when
  // standard input is a pipe) costs every other run start-up time.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
  signals: process,
  exit: (c) => process.exit(c),
});
process.exitCode = code;
