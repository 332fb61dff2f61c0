import { describe, expect, it } from 'vitest';
import { FRAGMENT, Masker } from '../../src/core/mask.js';

const URL_VALUE = 'https://hooks.slack.com/services/T000/B000/XYZsecretTOKENpath?token=QUERYtok3n';
const SECRET = 's3cr3t-HOOK-value/+=';
const masker = new Masker([
  { value: URL_VALUE, shown: '${SLACK_URL}' },
  { value: SECRET, shown: '(sensitive)' },
]);

describe('text a server sent back', () => {
  it('shows no piece of a sensitive value as long as a fragment, wherever the server cut it', () => {
    for (const value of [URL_VALUE, SECRET]) {
      for (let from = 0; from < value.length; from += 3) {
        for (let to = from + FRAGMENT; to <= value.length; to += 5) {
          const said = masker.serverText(`error near ${value.slice(from, to)} (request 7)`);
          const path = value.replace(/^https:\/\/[^/]*/, '');
          for (let i = 0; i + FRAGMENT <= path.length; i++)
            expect(said).not.toContain(path.slice(i, i + FRAGMENT));
          expect(said).toMatch(/^error near .*\(request 7\)$/);
        }
      }
    }
  });

  it("leaves a URL's origin and ordinary text alone", () => {
    const said = 'see https://docs.launchdarkly.com and https://hooks.slack.com/other';
    expect(masker.serverText(said)).toBe(said);
  });

  it("masks a user's own words whole, never by pieces", () => {
    expect(masker.text('s3cr3t-HOOK-v')).toBe('s3cr3t-HOOK-v');
    expect(masker.serverText('s3cr3t-HOOK-v')).toBe('(sensitive)');
  });
});
