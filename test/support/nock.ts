import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** An id as LaunchDarkly makes them: 24 hex characters. */
export const WEBHOOK_ID = '57be1db38b75bf0772d11384';

/** A webhook as LaunchDarkly represents it, with the fields a test changes. */
export const webhookRep = (over: Record<string, unknown> = {}) => ({
  _links: {},
  _id: WEBHOOK_ID,
  name: 'slack',
  url: 'https://hooks.example.com/x',
  on: true,
  tags: ['managed-by-ldhooks'],
  ...over,
});

/** No request leaves this process, and every mock a test set up must have been used. */
export function useNockStrictly(): void {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every mock was used').toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
}
