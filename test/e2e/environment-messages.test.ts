import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-env-messages-'));
});

const config = (webhooks: string) =>
  `version: 1\nownerTag: managed-by-team-platform\nwebhooks:\n${webhooks}`;

const validate = async (text: string, env: Record<string, string>) => {
  await writeFile(path.join(dir, 'platform.yaml'), text);
  const r = await runCli(['validate', 'platform.yaml'], { cwd: dir, env, offline: true });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  return r.stderr.split('\n').filter((line) => line.startsWith('platform.yaml:'));
};

describe('a value from the environment that breaks a rule', () => {
  it('names an empty variable (a CI secret that is missing) and says to set it', async () => {
    const lines = await validate(
      config(
        '  - name: slack\n    url: ${SLACK_WEBHOOK_URL}\n    secret: ${LD_HOOK_SECRET}\n    tags: ["${TEAM}"]\n',
      ),
      { SLACK_WEBHOOK_URL: '', LD_HOOK_SECRET: '', TEAM: ' \t' },
    );
    expect(lines).toEqual([
      'platform.yaml:5:10  webhooks[0].url  url must be an absolute http(s) URL, but environment variable SLACK_WEBHOOK_URL is empty  (set SLACK_WEBHOOK_URL to a full URL such as https://hooks.example.com/launchdarkly; in CI, check that the secret it is set from exists and is named the same)',
      'platform.yaml:6:13  webhooks[0].secret  secret must not be empty, but environment variable LD_HOOK_SECRET is empty  (set LD_HOOK_SECRET to the signing secret; in CI, check that the secret it is set from exists and is named the same)',
      'platform.yaml:7:12  webhooks[0].tags[0]  tag must follow LaunchDarkly\'s tag rule, but environment variable TEAM holds only whitespace  (set TEAM to a tag of 1 to 64 letters, digits, ".", "_" or "-"; in CI, check that the secret it is set from exists and is named the same)',
    ]);
  });

  it('names the empty variable inside a longer value, with the template it is in', async () => {
    const lines = await validate(config('  - name: a\n    url: https://${HOST}/${HOOK_PATH}\n'), {
      HOST: '',
      HOOK_PATH: 'in',
    });
    expect(lines).toEqual([
      'platform.yaml:5:10  webhooks[0].url  url must be an absolute http(s) URL, but environment variable HOST is empty (in "https://${HOST}/${HOOK_PATH}")  (set HOST so that "https://${HOST}/${HOOK_PATH}" gives a full URL such as https://hooks.example.com/launchdarkly; in CI, check that the secret it is set from exists and is named the same)',
    ]);
  });

  it('quotes a set but wrong value by its template, and says to set its variables, not to edit the file', async () => {
    const secret = 'ftp://hooks.example.com/T0K3N-never-shown';
    const lines = await validate(
      config(
        '  - name: a\n    url: ${SLACK_WEBHOOK_URL}\n  - name: b\n    url: https://${HOST}/in\n    on: ${ON}\n    statements:\n      - { effect: "${EFFECT}", resources: ["*"], actions: ["*"] }\n',
      ),
      { SLACK_WEBHOOK_URL: secret, HOST: 'T0K3N host', ON: 'true', EFFECT: 'alow' },
    );
    expect(lines).toEqual([
      'platform.yaml:5:10  webhooks[0].url  url must be an absolute http(s) URL, not "${SLACK_WEBHOOK_URL}" (from the environment, not shown)  (set SLACK_WEBHOOK_URL to a full URL such as https://hooks.example.com/launchdarkly)',
      'platform.yaml:7:10  webhooks[1].url  url must be an absolute http(s) URL, not "https://${HOST}/in" (from the environment, not shown)  (check HOST in the environment: "https://${HOST}/in" must give a full URL such as https://hooks.example.com/launchdarkly)',
      'platform.yaml:8:9  webhooks[1].on  on must be a boolean, not a string  ("${ON}" is text whatever the environment holds: write true or false in the file instead)',
      // No "did you mean": a suggestion would tell what the hidden value is close to.
      'platform.yaml:10:19  webhooks[1].statements[0].effect  effect must be "allow" or "deny", not "${EFFECT}" (from the environment, not shown)  (set EFFECT to allow or deny)',
    ]);
    expect(lines.join('\n')).not.toContain('T0K3N');
    expect(lines.join('\n')).not.toContain('alow');
  });

  it('names the variable of a duplicate name that came from the environment', async () => {
    const lines = await validate(
      config(
        '  - name: ${HOOK}\n    url: https://a.example.com\n  - name: audit\n    url: https://b.example.com\n',
      ),
      { HOOK: 'audit' },
    );
    expect(lines).toEqual([
      'platform.yaml:4:11  webhooks[0].name  duplicate webhook name "${HOOK}" (from the environment, not shown), also declared at platform.yaml:6:11  (a name is the webhook\'s identity and must be unique across all files: rename or remove one; set HOOK to a name no other webhook has)',
      'platform.yaml:6:11  webhooks[1].name  duplicate webhook name "audit", also declared at platform.yaml:4:11  (a name is the webhook\'s identity and must be unique across all files: rename or remove one)',
    ]);
  });
});
