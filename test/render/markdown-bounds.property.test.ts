import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunFailure } from '../../src/core/failure.js';
import type { LiveWebhook } from '../../src/core/model.js';
import { computePlan } from '../../src/core/plan/plan.js';
import type { Problem } from '../../src/core/problem.js';
import { MARKDOWN_LIMIT, renderPlanReportMarkdown } from '../../src/render/markdown.js';
import { check } from '../support/property.js';

/**
 * Text of any size, up to several times the limit, from pieces that escaping makes longer (each
 * of `.`, `:`, `"`, a control character becomes up to six characters).
 */
const huge = fc
  .tuple(
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 8 }),
    fc.constantFrom(1, 10, 1_000, 20_000, 100_000),
  )
  .map(([unit, times]) => unit.repeat(Math.ceil(times / unit.length)));

const problem = fc.record({
  message: huge,
  remedy: fc.option(huge, { nil: undefined }),
  file: huge,
  path: huge,
  severity: fc.constantFrom('error' as const, 'warning' as const),
});

const failure = fc.record({
  message: huge,
  remedy: fc.option(huge, { nil: undefined }),
  override: fc.option(huge, { nil: undefined }),
  kind: fc.constantFrom('api' as const, 'guard' as const, 'target' as const, 'config' as const),
});

function planOf(names: string[], targets: string[] | undefined) {
  const live: LiveWebhook[] = names.map((name, i) => ({
    id: String(i + 1).padStart(24, '0'),
    name,
    url: `https://h.example.com/${i}`,
    on: true,
    tags: ['managed-by-ldhooks'],
    statements: [],
  }));
  const plan = computePlan({ desired: [], live, ownerTags: ['managed-by-ldhooks'] }).plan;
  return targets ? { ...plan, targets } : plan;
}

describe('a Markdown report, whatever it holds', () => {
  it(`never exceeds ${MARKDOWN_LIMIT} characters`, () => {
    check(
      fc.property(
        fc.option(
          fc.tuple(
            fc.array(huge, { maxLength: 4 }),
            fc.option(fc.array(huge, { maxLength: 4 }), { nil: undefined }),
          ),
          { nil: undefined },
        ),
        fc.array(problem, { maxLength: 6 }),
        fc.option(failure, { nil: undefined }),
        (planned, problems, f) => {
          const plan = planned ? planOf(...planned) : undefined;
          const all: Problem[] = problems.map((p, i) => ({
            ...p,
            code: 'test.problem',
            line: i,
            col: 1,
          }));
          const runFailure: RunFailure | undefined = f && {
            status: f.kind === 'guard' ? 'refused' : 'failed',
            kind: f.kind,
            message: f.message,
            ...(f.remedy !== undefined ? { remedy: f.remedy } : {}),
            exitCode: f.kind === 'guard' ? 3 : 1,
            problems: [],
            ...(f.kind === 'guard' && f.override !== undefined
              ? {
                  guard: {
                    name: 'max-delete-percent' as const,
                    override: f.override,
                    allow: `raise it, or pass ${f.override}`,
                  },
                }
              : {}),
          };
          const md = renderPlanReportMarkdown(plan, {
            problems: all,
            ...(runFailure ? { failure: runFailure } : {}),
          });
          expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
          expect(md.startsWith('<!-- ldhooks-plan -->\n### ldhooks plan')).toBe(true);
        },
      ),
      60,
    );
  });

  it('bounds the error line: a --target of 70,000 characters, a server link of 100,000', () => {
    for (const message of [
      `--target ${'a'.repeat(70_000)}: no webhook of that name`,
      `GET /api/v2/webhooks?p=${'A'.repeat(100_000)} failed: 500 x: boom`,
    ]) {
      const md = renderPlanReportMarkdown(undefined, {
        failure: { status: 'failed', kind: 'api', message, exitCode: 1, problems: [] },
      });
      expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
      expect(md).toMatch(/> error: .*…$/m);
    }
  });
});

describe('free text in a Markdown report links nothing on GitHub', () => {
  it('neither mentions, issue references nor math, in the error line and the problem cells', () => {
    const text = 'ping @octocat about #1, owner/repo#2 and GH-3: costs $x$';
    const md = renderPlanReportMarkdown(undefined, {
      problems: [
        {
          severity: 'error',
          code: 'x',
          file: 'a.yaml',
          line: 1,
          col: 1,
          path: '',
          message: text,
          remedy: text,
        },
      ],
      failure: { status: 'failed', kind: 'api', message: text, exitCode: 1, problems: [] },
    });
    const prose = md
      .split('\n')
      .filter((l) => l.startsWith('> error') || l.startsWith('| <code>a'));
    expect(prose).toHaveLength(2);
    for (const line of prose) {
      // Nothing GitHub reads as a mention, a reference or math, once entities are decoded and
      // HTML comments (which split its text) are taken as breaks.
      const decoded = line
        .replace(/<!-- -->/g, '\u0000')
        .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
      expect(decoded).not.toMatch(/@octocat|#1|repo#2|GH-3/);
      expect(line).not.toContain('$');
      expect(decoded).toContain(
        'ping @\u0000octocat about #\u00001, owner/repo#\u00002 and GH\u0000-3',
      );
    }
  });
});
