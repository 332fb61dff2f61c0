import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fileCommandEntry,
  findNpmCli,
  inert,
  inertStream,
  shownArgs,
  signalOutcome,
} from '../../action/lib.mjs';
import { check } from '../support/property.js';
import { readFileCommands, workflowCommands } from './runner.js';

// The pieces of the action that stand between untrusted text and the runner (action/lib.mjs),
// checked against the runner's own rules (runner.ts), on any platform the action runs on.

describe('findNpmCli: npm to run with this Node, never a .cmd that needs cmd.exe', () => {
  const files = (...list: string[]) => ({
    isFile: (f: string) => list.includes(f),
    realpath: (f: string) => {
      const link = list.find((l) => l.startsWith(`${f} -> `));
      if (!link) throw new Error(`ENOENT ${f}`);
      return link.slice(f.length + 4);
    },
  });

  it('finds npm beside node.exe on Windows, as setup-node installs it', () => {
    const npm = 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js';
    expect(
      findNpmCli({
        platform: 'win32',
        execPath: 'C:\\Program Files\\nodejs\\node.exe',
        env: { Path: 'C:\\Windows\\system32' },
        ...files(npm),
      }),
    ).toBe(npm);
  });

  it('finds npm in ../lib beside node elsewhere', () => {
    const npm = '/opt/hostedtoolcache/node/20.19.0/x64/lib/node_modules/npm/bin/npm-cli.js';
    expect(
      findNpmCli({
        platform: 'linux',
        execPath: '/opt/hostedtoolcache/node/20.19.0/x64/bin/node',
        env: {},
        ...files(npm),
      }),
    ).toBe(npm);
  });

  it('prefers the npm that started this process (npm_execpath), and only an npm-cli.js', () => {
    const beside = '/usr/local/lib/node_modules/npm/bin/npm-cli.js';
    const running = '/home/me/.npm-global/lib/node_modules/npm/bin/npm-cli.js';
    const where = { platform: 'linux', execPath: '/usr/local/bin/node' };
    expect(
      findNpmCli({ ...where, env: { npm_execpath: running }, ...files(beside, running) }),
    ).toBe(running);
    // yarn and pnpm set npm_execpath too, to their own file.
    const yarn = '/usr/lib/yarn/bin/yarn.js';
    expect(findNpmCli({ ...where, env: { npm_execpath: yarn }, ...files(beside, yarn) })).toBe(
      beside,
    );
  });

  it('else follows the PATH: beside npm.cmd on Windows, where the npm link leads elsewhere', () => {
    const npm = 'D:\\tools\\node\\node_modules\\npm\\bin\\npm-cli.js';
    expect(
      findNpmCli({
        platform: 'win32',
        execPath: 'D:\\elsewhere\\node.exe',
        env: { PATH: 'C:\\Windows;D:\\tools\\node' },
        ...files('D:\\tools\\node\\npm.cmd', npm),
      }),
    ).toBe(npm);
    // Debian's /usr/bin/npm leads to /usr/share/nodejs/npm.
    const debian = '/usr/share/nodejs/npm/bin/npm-cli.js';
    expect(
      findNpmCli({
        platform: 'linux',
        execPath: '/usr/bin/node',
        env: { PATH: '/usr/local/bin:/usr/bin' },
        ...files('/usr/bin/npm', `/usr/bin/npm -> ${debian}`),
      }),
    ).toBe(debian);
    // An npm on the PATH that is not npm's JavaScript (a shell script) is not run.
    expect(
      findNpmCli({
        platform: 'linux',
        execPath: '/usr/bin/node',
        env: { PATH: '/usr/bin' },
        ...files('/usr/bin/npm', '/usr/bin/npm -> /usr/bin/npm'),
      }),
    ).toBeUndefined();
  });
});

describe('inert: what ldhooks prints reaches the log, but never as a workflow command', () => {
  const hostile = [
    '::set-output name=has-changes::false',
    '  \t::add-mask::x',
    '\u0085\u00a0::stop-commands::tok',
    'plain text ##[set-output name=exitcode;]0',
    'a\r::error::after a carriage return',
    'a\r\n::warning::after CRLF',
  ].join('\n');

  it('leaves no command in hostile lines, and looks the same without its zero-width spaces', () => {
    expect(workflowCommands(hostile).length).toBe(6);
    const made = inert(hostile);
    expect(workflowCommands(made)).toEqual([]);
    expect(made.replaceAll('\u200b', '')).toBe(hostile);
  });

  it('holds for any text cut into any chunks', () => {
    const piece = fc.constantFrom(':', '::', '#', '##[', ']', ' ', '\u0085', '\r', '\n', 'x', '=');
    const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
    check(
      fc.property(text, fc.array(fc.nat(40), { maxLength: 6 }), (t, cuts) => {
        let out = '';
        const stream = inertStream((s) => {
          out += s;
        });
        const at = [...new Set(cuts.map((c) => Math.min(c, t.length)))].sort((a, b) => a - b);
        let from = 0;
        for (const cut of [...at, t.length]) {
          stream.write(t.slice(from, cut));
          from = cut;
        }
        stream.end();
        expect(workflowCommands(out)).toEqual([]);
        expect(out.replaceAll('\u200b', '')).toBe(t);
      }),
    );
  });
});

describe('fileCommandEntry: one output per entry, whatever its value', () => {
  it('reads back as written, and no value sets another output', () => {
    check(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const text = fileCommandEntry('report', value) + fileCommandEntry('exitcode', '1');
        expect(readFileCommands(text)).toEqual({ report: value, exitcode: '1' });
      }),
    );
    const forged = `/tmp/x\nexitcode=0\nghadelimiter_1\nexitcode=0`;
    expect(readFileCommands(`${fileCommandEntry('report', forged)}exitcode=1\n`)).toEqual({
      report: forged,
      exitcode: '1',
    });
  });

  it('refuses a value that holds its delimiter, and a name that is not one', () => {
    expect(() => fileCommandEntry('report', 'a\nEOF\nb', 'EOF')).toThrow(/delimiter/);
    expect(() => fileCommandEntry('a=b', 'x')).toThrow(/not an output name/);
  });
});

describe('signalOutcome', () => {
  it('gives 128 + the signal number and what the signal likely means', () => {
    expect(signalOutcome('SIGKILL')).toEqual({
      code: 137,
      text: 'was ended by SIGKILL (exit code 137): most likely the runner ran out of memory (the out-of-memory killer sends SIGKILL), or the job was cancelled and did not stop in time',
    });
    expect(signalOutcome('SIGTERM').code).toBe(143);
    expect(signalOutcome('SIGINT').text).toBe(
      'was ended by SIGINT (exit code 130): the job was cancelled',
    );
    expect(signalOutcome('SIGUSR2').text).toMatch(/^was ended by SIGUSR2 \(exit code 1\d\d\)$/);
  });
});

describe('shownArgs', () => {
  it('quotes what a reader could misread', () => {
    expect(shownArgs(['plan', '--format=markdown', '--', 'web hooks', 'a"b', 'x\ny'])).toBe(
      'plan --format=markdown -- "web hooks" "a\\"b" "x\\ny"',
    );
  });
});
