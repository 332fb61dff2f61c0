import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/paths.js';

// The CI files users copy, and the ldhooks command lines in them, found the way a shell reads
// them: the tests run every one, and fail when one is added that no test runs.

/** The first line of every ldhooks Markdown plan, which CI looks for to update one comment. */
export const MARKER = '<!-- ldhooks-plan -->';
export const ACTION = 'action.yml';
export const GITHUB_DIR = 'examples/ci/github/.github/workflows';
export const GITLAB_FILE = 'examples/ci/gitlab/.gitlab/ldhooks.gitlab-ci.yml';

export const githubWorkflows = (): string[] =>
  readdirSync(path.join(ROOT, GITHUB_DIR))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `${GITHUB_DIR}/${f}`);

// biome-ignore lint/suspicious/noExplicitAny: a parsed CI file, read by key
export type Yaml = Record<string, any>;

export const loadYaml = (file: string): Yaml =>
  parse(readFileSync(path.join(ROOT, file), 'utf8')) as Yaml;

/** A shell block of a CI file: a GitHub step's `run`, or a GitLab job's script lines. */
export interface ShellBlock {
  file: string;
  /** Where in the file: `jobs.plan.steps[3] (Plan)`, `ldhooks-plan.script`. */
  where: string;
  text: string;
}

export function githubShellBlocks(file: string): ShellBlock[] {
  const doc = loadYaml(file);
  const steps: { where: string; step: Yaml }[] =
    file === ACTION
      ? (doc.runs.steps as Yaml[]).map((step, i) => ({ where: `runs.steps[${i}]`, step }))
      : Object.entries(doc.jobs as Yaml).flatMap(([job, j]) =>
          (j.steps as Yaml[]).map((step, i) => ({
            where: `jobs.${job}.steps[${i}]${step.name ? ` (${step.name})` : ''}`,
            step,
          })),
        );
  return steps
    .filter(({ step }) => typeof step.run === 'string')
    .map(({ where, step }) => ({ file, where, text: step.run as string }));
}

/** GitLab's keywords at the top level: every other key is a job (or a hidden `.template`). */
const GITLAB_GLOBAL = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
]);

export const gitlabJobs = (doc: Yaml): [string, Yaml][] =>
  Object.entries(doc).filter(([k]) => !GITLAB_GLOBAL.has(k) && !k.startsWith('.'));

/** A job with the hidden jobs it `extends` merged under it, as GitLab does (deep for maps). */
export function resolveGitlabJob(doc: Yaml, job: Yaml): Yaml {
  const parents = [job.extends ?? []].flat() as string[];
  const merge = (base: Yaml, over: Yaml): Yaml => {
    const out: Yaml = { ...base };
    for (const [k, v] of Object.entries(over)) {
      out[k] =
        v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object'
          ? merge(out[k], v)
          : v;
    }
    return out;
  };
  let resolved: Yaml = {};
  for (const p of parents) resolved = merge(resolved, resolveGitlabJob(doc, doc[p] as Yaml));
  const { extends: _, ...own } = job;
  return merge(resolved, own);
}

export function gitlabShellBlocks(file: string): ShellBlock[] {
  const doc = loadYaml(file);
  const blocks: ShellBlock[] = [];
  for (const [name, job] of Object.entries(doc)) {
    if (GITLAB_GLOBAL.has(name) && name !== 'before_script' && name !== 'after_script') continue;
    if (name === 'before_script' || name === 'after_script') {
      blocks.push({ file, where: name, text: ([job] as string[][]).flat().join('\n') });
      continue;
    }
    for (const key of ['before_script', 'script', 'after_script']) {
      if (job[key] !== undefined)
        blocks.push({ file, where: `${name}.${key}`, text: [job[key]].flat().join('\n') });
    }
  }
  return blocks;
}

/** A word or an operator of a shell command, with where it is in the block's text. */
export interface Token {
  text: string;
  /** An operator that ends a command (`;`, `&&`, `||`, `|`, `&`, a line end) or a redirection. */
  kind: 'word' | 'end' | 'redirect';
  /** The word had quotes: it cannot be a command name. */
  quoted: boolean;
  start: number;
  end: number;
}

/**
 * Splits shell text into words and operators, as POSIX sh does for what these files use:
 * quotes, backslashes, comments, line continuations, `;` `&&` `||` `|` `&`, and redirections.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const op = /^(?:\n|&&|\|\||;;|;|\||&|\d?>>|\d?>&\d|\d?>|<)/.exec(text.slice(i));
    if (op) {
      const kind = /[<>]/.test(op[0]) ? 'redirect' : 'end';
      tokens.push({ text: op[0], kind, quoted: false, start: i, end: i + op[0].length });
      i += op[0].length;
      continue;
    }
    const start = i;
    let word = '';
    let quoted = false;
    while (i < text.length && !/[\s;&|<>]/.test(text[i] as string)) {
      const c = text[i] as string;
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) throw new Error(`unclosed ' at ${i}`);
        word += text.slice(i + 1, close);
        quoted = true;
        i = close + 1;
      } else if (c === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          word += text[i];
          i++;
        }
        if (i >= text.length) throw new Error(`unclosed " at ${start}`);
        quoted = true;
        i++;
      } else if (c === '\\' && i + 1 < text.length) {
        word += text[i + 1];
        quoted = true;
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    tokens.push({ text: word, kind: 'word', quoted, start, end: i });
  }
  return tokens;
}

/** An ldhooks command line in a CI file, exactly as written there. */
export interface CommandLine {
  file: string;
  where: string;
  /** From `npx` (or `ldhooks`) to the end of the command, redirections included. */
  line: string;
  tokens: Token[];
}

const LDHOOKS_WORD = /^(?:.*\/)?ldhooks(?:@\S+)?$/;

/** Every command that runs ldhooks in a block: an unquoted word `ldhooks` (or `ldhooks@1.2`, `…/ldhooks`). */
export function ldhooksCommands(block: ShellBlock): CommandLine[] {
  const tokens = tokenize(block.text);
  const found: CommandLine[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' || t.quoted || !LDHOOKS_WORD.test(t.text)) return;
    let first = i;
    while (
      first > 0 &&
      tokens[first - 1]?.kind === 'word' &&
      /^(npx|--yes|-y)$/.test(tokens[first - 1]?.text ?? '')
    )
      first--;
    let last = i;
    while (last + 1 < tokens.length && tokens[last + 1]?.kind !== 'end') last++;
    const own = tokens.slice(first, last + 1);
    found.push({
      file: block.file,
      where: block.where,
      line: block.text.slice(own[0]?.start, own[own.length - 1]?.end),
      tokens: own,
    });
  });
  return found;
}

/** Every ldhooks command line of every CI file: the action, the GitHub workflows, GitLab. */
export function allCommandLines(): CommandLine[] {
  const blocks = [
    ...githubShellBlocks(ACTION),
    ...githubWorkflows().flatMap(githubShellBlocks),
    ...gitlabShellBlocks(GITLAB_FILE),
  ];
  return blocks.flatMap(ldhooksCommands);
}

/** The text of every scalar in a parsed document, with its path. */
export function scalars(node: unknown, at = ''): { at: string; text: string }[] {
  if (typeof node === 'string') return [{ at, text: node }];
  if (Array.isArray(node)) return node.flatMap((v, i) => scalars(v, `${at}[${i}]`));
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => scalars(v, at ? `${at}.${k}` : k));
  return [];
}

/**
 * A path glob of GitHub's `paths` or GitLab's `rules: changes` as a RegExp: `**` any number of
 * folders (`**` followed by a slash, none too), `*` and `?` within one name.
 */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    if (glob.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (glob[i] === '*') re += '[^/]*';
    else if (glob[i] === '?') re += '[^/]';
    else re += (glob[i] as string).replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * A `rules: if` expression of the forms these files use, as GitLab reads it: clauses joined by
 * `&&`, each `$A == "text"`, `$A == $B`, the same with `!=`, or `$A` alone (set and not empty).
 * An unset variable equals only another unset one.
 */
function gitlabCondition(expression: string, variables: Record<string, string>): boolean {
  return expression.split('&&').every((clause) => {
    const m = /^\s*\$(\w+)\s*(?:(==|!=)\s*(?:"([^"]*)"|\$(\w+)))?\s*$/.exec(clause);
    if (!m) throw new Error(`an expression these tests cannot read: ${clause}`);
    const left = variables[m[1] as string];
    if (!m[2]) return Boolean(left);
    const right = m[3] ?? variables[m[4] as string];
    return (left === right) === (m[2] === '==');
  });
}

/**
 * Whether GitLab adds a job (its `extends` resolved) to a pipeline with these variables that
 * changes these files: the first rule whose `if` and `changes` both match decides, by its `when`.
 */
export function gitlabJobRuns(
  job: Yaml,
  variables: Record<string, string>,
  changed: string[],
): boolean {
  for (const rule of (job.rules ?? []) as Yaml[]) {
    if (rule.if !== undefined && !gitlabCondition(rule.if, variables)) continue;
    const globs = [rule.changes ?? []].flat() as string[];
    if (
      rule.changes !== undefined &&
      !changed.some((f) => globs.some((g) => globRegExp(g).test(f)))
    )
      continue;
    return rule.when !== 'never';
  }
  return false;
}
