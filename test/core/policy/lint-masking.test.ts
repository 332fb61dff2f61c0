import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/adapters/fs/yaml-source.js';
import { validateConfig } from '../../../src/core/config/validate.js';
import { formatProblem } from '../../../src/core/problem.js';
import { LINT_ENV } from '../../support/from-environment.js';
import { ROOT } from '../../support/paths.js';

const FILE = 'test/fixtures/policy/from-environment.yaml';

describe('policy lint of values from the environment', () => {
  const text = readFileSync(path.join(ROOT, FILE), 'utf8');
  const problems = validateConfig(parseYamlSource('f.yaml', text, LINT_ENV).documents).problems;

  it('quotes their templates, points at the start of the string, and suggests nothing', () => {
    expect(problems.map(formatProblem)).toEqual([
      'f.yaml:8:13  webhooks[0].statements[0].resources[0]  warning: unknown resource kind in "proj/${PROJ}:env/production:flg/*"  (fix the text or the value of PROJ (from the environment): known kinds: proj, env, flag, segment, experiment, holdout, metric, context-kind, member, team, role, webhook, integration, relay-proxy-config, code-reference-repository, service-token, application, acct)',
      'f.yaml:9:13  webhooks[0].statements[0].resources[1]  warning: unknown resource kind in "proj/*:env/production:${KIND}/*"  (fix the text or the value of KIND (from the environment): known kinds: proj, env, flag, segment, experiment, holdout, metric, context-kind, member, team, role, webhook, integration, relay-proxy-config, code-reference-repository, service-token, application, acct)',
      'f.yaml:10:13  webhooks[0].statements[0].resources[2]  a segment has no "/" in "proj/*:${BROKEN}"  (fix the text or the value of BROKEN (from the environment): write each segment as kind/name, such as env/production)',
      'f.yaml:11:19  webhooks[0].statements[0].actions[0]  warning: unknown action "${ACTION}"  (set ACTION to an action LaunchDarkly knows, such as updateOn)',
      'f.yaml:14:19  webhooks[0].statements[1].actions[0]  warning: action "updateOn" does not apply to the kinds of resource this statement names, so it never matches here  ("updateOn" applies to flag, webhook, integration; end the specifier with such a segment, such as proj/*:env/*:flag/*)',
      'f.yaml:17:19  webhooks[0].statements[2].actions[0]  warning: action "${KNOWN_ACTION}" does not apply to proj resources, so it never matches here  (end the specifier with a segment of a kind the action applies to)',
    ]);
  });

  it('names an empty variable of a broken specifier, and says to set it', () => {
    const doc =
      'version: 1\nwebhooks:\n  - name: a\n    url: https://a.example.com\n    statements:\n      - effect: allow\n        resources: ["proj/${PROJ}:env/production:flag/*", "proj/*:${SEG}"]\n        actions: ["*"]\n';
    const found = validateConfig(
      parseYamlSource('e.yaml', doc, { PROJ: '', SEG: ' ' }).documents,
    ).problems.map(formatProblem);
    expect(found).toEqual([
      'e.yaml:7:21  webhooks[0].statements[0].resources[0]  a segment has no name after its "/" in "proj/${PROJ}:env/production:flag/*": environment variable PROJ is empty  (set PROJ so that "proj/${PROJ}:env/production:flag/*" gives a resource specifier; in CI, check that the secret it is set from exists and is named the same)',
      'e.yaml:7:59  webhooks[0].statements[0].resources[1]  a segment has no "/" in "proj/*:${SEG}": environment variable SEG holds only whitespace  (set SEG so that "proj/*:${SEG}" gives a resource specifier; in CI, check that the secret it is set from exists and is named the same)',
    ]);
  });

  it('never tells a column inside a resolved string', () => {
    for (const p of problems) expect(p.message).not.toMatch(/column/);
  });

  it('still quotes, points into and suggests for the same mistakes written in the file', () => {
    const literal = text.replace(
      /\$\{(\w+)\}/g,
      (_, name: keyof typeof LINT_ENV) => LINT_ENV[name],
    );
    const messages = validateConfig(parseYamlSource('f.yaml', literal, {}).documents).problems.map(
      (p) => p.message,
    );
    expect(messages).toContain('unknown resource kind "flg" at column 38, did you mean "flag"?');
    expect(messages).toContain('unknown action "updateOnSecret7", did you mean "updateSecret"?');
  });
});
