import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/adapters/fs/config-source.js';
import { parseYamlSource } from '../../src/adapters/fs/yaml-source.js';
import { ApiError, remedyFor } from '../../src/adapters/launchdarkly/errors.js';
import { describeFailure } from '../../src/cli/exit.js';
import { validateConfig } from '../../src/core/config/validate.js';
import { Masker } from '../../src/core/mask.js';
import type { LiveWebhook, PatchOperation, WebhookPost } from '../../src/core/model.js';
import { checkGuards } from '../../src/core/plan/guards.js';
import { computePlan } from '../../src/core/plan/plan.js';
import type { WebhooksPort } from '../../src/core/port.js';
import { apply } from '../../src/engine/apply.js';
import {
  ApplyIncompleteError,
  ConfigInvalidError,
  GuardRefusedError,
} from '../../src/engine/errors.js';
import { renderApplyJson } from '../../src/render/apply-json.js';
import { renderPlanReportJson } from '../../src/render/json.js';
import { MARKDOWN_MARKER, renderPlanReportMarkdown } from '../../src/render/markdown.js';
import { golden } from '../support/golden.js';
import { ROOT } from '../support/paths.js';
import { expectValid, validateApply, validatePlan } from '../support/published-schemas.js';

// The reports of runs that fail or are refused, as a pull request shows them, and the apply
// report; each JSON document is checked against the schema ldhooks publishes.
const expectValidText = (validate: typeof validatePlan, text: string) =>
  expectValid(validate, JSON.parse(text));

const none = new Masker([]);
const PROJ = 'proj-secret-77';
const OWNER = 'managed-by-ldhooks';

/** An invalid config of two files: schema errors, an unset variable, duplicates, policy checks. */
async function invalidConfig() {
  const config = await readConfig(['.'], {
    env: { PROJ },
    cwd: path.join(ROOT, 'test/fixtures/reports/invalid'),
  });
  const failure = describeFailure(new ConfigInvalidError(config.problems), none);
  return { problems: config.problems, failure };
}

const managed = (n: number): LiveWebhook[] =>
  Array.from({ length: n }, (_, i) => ({
    id: String(i + 1).padStart(24, '0'),
    name: `hook-${String(i).padStart(2, '0')}`,
    url: `https://h.example.com/${i}`,
    on: true,
    tags: [OWNER],
    statements: [],
  }));

function config(yaml: string, env: Record<string, string> = {}) {
  return validateConfig(parseYamlSource('hooks.yaml', yaml, env).documents);
}

const keeping = (names: string[]) =>
  `version: 1\nwebhooks:\n${names.map((n, i) => `  - { name: ${n}, url: "https://h.example.com/${i}" }\n`).join('')}`;

describe('the report of a plan whose configuration is not valid', () => {
  it('lists every problem with its place and remedy, warnings apart, in Markdown', async () => {
    const { problems, failure } = await invalidConfig();
    const md = renderPlanReportMarkdown(undefined, { problems, failure });
    golden('report-invalid.md', md);
    expect(md.split('\n')[0]).toBe(MARKDOWN_MARKER);
    // Six errors in the table, two warnings in their collapsed table.
    expect(md).toContain('#### Errors (6)');
    expect(md).toContain('<summary>⚠️ 2 warnings</summary>');
    expect(md).toContain(
      '| <code>hooks&#46;yaml&#58;4&#58;10</code> <code>webhooks&#91;0&#93;&#46;url</code> | url must be an absolute http(s) URL, not &quot;/hooks&quot; |',
    );
    expect(md).not.toContain(PROJ);
  });

  it('says the same in JSON, a valid document of the published plan schema', async () => {
    const { problems, failure } = await invalidConfig();
    const json = renderPlanReportJson(undefined, '0.0.0-test', { problems, failure });
    golden('report-invalid.json', json);
    expectValidText(validatePlan, json);
    const doc = JSON.parse(json);
    expect(doc.status).toBe('invalid');
    expect(doc.error).toMatchObject({ kind: 'config', exit_code: 1 });
    expect(doc.changes).toBeUndefined();
    expect(doc.problems.map((p: { severity: string }) => p.severity)).toEqual([
      'error',
      'error',
      'error',
      'error',
      'warning',
      'error',
      'warning',
      'error',
    ]);
    expect(json).not.toContain(PROJ);
  });
});

describe('the report of a plan a guard refused', () => {
  const plan = () => {
    const c = config(keeping(['hook-00', 'hook-01', 'hook-02', 'hook-03', 'hook-04', 'hook-05']));
    const { plan } = computePlan({ desired: c.webhooks, live: managed(10), ownerTags: [OWNER] });
    const refusal = checkGuards(plan, {
      maxDeletePercent: 25,
      allowDeleteAll: false,
      declared: c.webhooks.length,
    });
    if (!refusal) throw new Error('the guard should refuse 4 deletes of 10');
    return { plan, failure: describeFailure(new GuardRefusedError(refusal), none) };
  };

  it('shows the guard, the option that overrides it, and the plan it refused', () => {
    const { plan: p, failure } = plan();
    const md = renderPlanReportMarkdown(p, { failure });
    golden('report-refused.md', md);
    expect(md).toContain(
      '**⛔ Refused by the guard `max-delete-percent`: this plan will not be applied.** (exit code 3)',
    );
    expect(md).toContain('**To allow it:** pass <code>--max-delete-percent 40</code>');
    expect(md).toContain('**Plan: 0 to create, 0 to update, 4 to delete, 6 unchanged');
    expect(md.match(/<details>/g)).toHaveLength(4);
  });

  it('gives the plan and the refusal in JSON, a valid document of the published schema', () => {
    const { plan: p, failure } = plan();
    const json = renderPlanReportJson(p, '0.0.0-test', { failure });
    golden('report-refused.json', json);
    expectValidText(validatePlan, json);
    const doc = JSON.parse(json);
    expect(doc.status).toBe('refused');
    expect(doc.error.guard).toEqual({
      name: 'max-delete-percent',
      override: '--max-delete-percent 40',
    });
    expect(doc.error.exit_code).toBe(3);
    expect(doc.summary.delete).toBe(4);
  });
});

describe('the report of a plan LaunchDarkly did not answer', () => {
  const failure = () =>
    describeFailure(
      new ApiError({
        method: 'GET',
        path: '/api/v2/webhooks',
        status: 403,
        code: 'forbidden',
        ldMessage: 'Access to the requested resource was denied',
        requestId: 'a1b2c3d4-0000-4000-8000-000000000000',
        remedy: remedyFor(403, 'GET'),
      }),
      none,
    );

  it('says which request failed and what to do, in Markdown and JSON', () => {
    const md = renderPlanReportMarkdown(undefined, { failure: failure() });
    golden('report-api.md', md);
    expect(md).toContain('**❌ Not planned: a request to LaunchDarkly failed.** (exit code 1)');
    expect(md).toContain('**What to do:** the access token cannot read webhooks');
    const json = renderPlanReportJson(undefined, '0.0.0-test', { failure: failure() });
    golden('report-api.json', json);
    expectValidText(validatePlan, json);
    expect(JSON.parse(json).error).toMatchObject({
      kind: 'api',
      message:
        'GET /api/v2/webhooks failed: 403 forbidden: Access to the requested resource was denied (request id a1b2c3d4-0000-4000-8000-000000000000)',
      request: { method: 'GET', path: '/api/v2/webhooks', status: 403 },
    });
  });

  it('hides the access token, wherever a message holds it', () => {
    const token = 'api-0123-token-value';
    const f = describeFailure(
      new ApiError({ method: 'GET', path: '/api/v2/webhooks', detail: `echoed ${token}` }),
      new Masker([{ value: token, shown: '(access token)' }]),
    );
    for (const out of [
      renderPlanReportMarkdown(undefined, { failure: f }),
      renderPlanReportJson(undefined, 'v', { failure: f }),
    ]) {
      expect(out).not.toContain(token);
      expect(out).toContain('(access token)');
    }
  });
});

describe('a plan with warnings', () => {
  const run = () => {
    const c = config(
      'version: 1\nwebhooks:\n  - name: audit\n    url: https://audit.example.com/in\n    statements:\n      - { effect: allow, resources: ["proj/*:env/production:flag/*"], actions: ["updateOnn"] }\n',
    );
    const { plan } = computePlan({ desired: c.webhooks, live: [], ownerTags: c.ownerTags });
    return { plan, problems: c.problems };
  };

  it('shows them in Markdown and in JSON, beside the plan', () => {
    const { plan, problems } = run();
    expect(problems.map((p) => p.severity)).toEqual(['warning']);
    const md = renderPlanReportMarkdown(plan, { problems });
    golden('report-warnings.md', md);
    expect(md).toContain('<summary>⚠️ 1 warning</summary>');
    expect(md).toContain('unknown action &quot;updateOnn&quot;');
    const json = renderPlanReportJson(plan, '0.0.0-test', { problems });
    golden('report-warnings.json', json);
    expectValidText(validatePlan, json);
    expect(JSON.parse(json)).toMatchObject({
      status: 'ok',
      error: null,
      problems: [{ severity: 'warning', code: 'policy.unknown-action', line: 6 }],
    });
  });
});

describe('the published plan schema', () => {
  const ok = () => {
    const { plan } = computePlan({ desired: [], live: [], ownerTags: [OWNER] });
    return JSON.parse(renderPlanReportJson(plan, 'v', {}));
  };

  it('accepts a plan, and refuses a report that contradicts its status', () => {
    expect(validatePlan(ok())).toBe(true);
    const { summary: _, changes: __, ...noPlan } = ok();
    const error = {
      kind: 'error',
      message: 'm',
      remedy: null,
      exit_code: 1,
      guard: null,
      request: null,
    };
    expect(validatePlan({ ...ok(), error })).toBe(false);
    expect(validatePlan({ ...noPlan, status: 'ok' })).toBe(false);
    expect(validatePlan({ ...noPlan, status: 'refused', error })).toBe(false);
    expect(validatePlan({ ...ok(), status: 'invalid', error: null })).toBe(false);
    expect(validatePlan({ ...noPlan, status: 'invalid', error })).toBe(true);
  });
});

describe('the Markdown report of many problems', () => {
  it('stays under the limit, says how many it left out and where to see them', async () => {
    const { failure } = await invalidConfig();
    const problem = failure.problems[0];
    if (!problem) throw new Error('the fixture has problems');
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...problem, line: i + 1 }));
    const md = renderPlanReportMarkdown(undefined, {
      problems: many,
      failure: { ...failure, problems: many },
    });
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md).toMatch(
      /_\d+ more problems not shown: the comment is limited to 65,000 characters\. Run `ldhooks validate` to see them all\._/,
    );
    const rows = md.split('\n').filter((l) => l.startsWith('| <code>'));
    const left = Number(/_(\d+) more problems/.exec(md)?.[1]);
    expect(rows.length + left).toBe(3000);
  });
});

/** A port whose answers are fixed: ids in order, one create refused, one delete already gone. */
function fixedPort(): WebhooksPort {
  let next = 0xa0;
  return {
    list: async () => [],
    create: async (body: WebhookPost) => {
      if (body.name === 'refused')
        throw new Error('POST /api/v2/webhooks failed: 400 invalid_request: bad url');
      next += 1;
      return {
        id: next.toString(16).padStart(24, '0'),
        name: body.name,
        url: body.url,
        on: body.on,
        tags: body.tags ?? [],
        statements: body.statements ?? [],
      };
    },
    update: async (id: string, _patch: PatchOperation[]) => ({
      ...(managed(3).find((h) => h.id === id) as LiveWebhook),
      on: false,
    }),
    remove: async (id: string) => ({ alreadyGone: id.endsWith('3') }),
  };
}

describe('the apply report', () => {
  const planned = () => {
    const c = config(
      `version: 1\nwebhooks:\n  - { name: hook-00, url: "https://h.example.com/0", on: false }\n  - { name: fresh, url: "https://fresh.example.com" }\n  - { name: refused, url: "https://refused.example.com" }\n`,
    );
    return computePlan({ desired: c.webhooks, live: managed(3), ownerTags: [OWNER] }).plan;
  };

  it('gives every operation its outcome, in the order of the plan', async () => {
    const plan = planned();
    const report = await apply(fixedPort(), plan, { parallelism: 1, masker: none });
    const failure = describeFailure(new ApplyIncompleteError(report.failed.length), none);
    const json = renderApplyJson({ plan, report, failure }, '0.0.0-test');
    golden('apply.json', json);
    expectValidText(validateApply, json);
    const doc = JSON.parse(json);
    expect(doc.status).toBe('incomplete');
    expect(doc.exit_code).toBe(1);
    expect(
      doc.operations.map((o: { action: string; name: string; outcome: string }) => [
        o.action,
        o.name,
        o.outcome,
      ]),
    ).toEqual([
      ['create', 'fresh', 'applied'],
      ['update', 'hook-00', 'applied'],
      ['delete', 'hook-01', 'applied'],
      ['delete', 'hook-02', 'applied'],
      ['create', 'refused', 'failed'],
    ]);
    expect(doc.summary).toEqual({
      operations: 5,
      applied: 4,
      failed: 1,
      not_started: 0,
      skipped: 0,
      created: 1,
      updated: 1,
      deleted: 2,
    });
    expect(doc.operations[4].error).toContain('400 invalid_request');
  });

  it('marks what a stop left undone, and what a refusal never tried', async () => {
    const plan = planned();
    let started = 0;
    const report = await apply(fixedPort(), plan, {
      parallelism: 1,
      masker: none,
      shouldStop: () => started++ >= 2,
    });
    const stopped = JSON.parse(renderApplyJson({ plan, report }, 'v'));
    expect(stopped.operations.map((o: { outcome: string }) => o.outcome)).toEqual([
      'not-started',
      'applied',
      'applied',
      'not-started',
      'not-started',
    ]);
    const refused = JSON.parse(renderApplyJson({ plan }, 'v'));
    expect(refused.summary.skipped).toBe(5);
    for (const o of refused.operations as { action: string; id: string | null }[])
      expect(o.id === null, o.action).toBe(o.action === 'create');
    expectValidText(validateApply, renderApplyJson({ plan }, 'v'));
  });
});
