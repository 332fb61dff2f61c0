/**
 * Counts the requests in flight through fetch, which ky calls for each request: a fake clock's
 * `busy` option reads it, so that no sleeper wakes while a request is on its way. Call `restore`
 * when the test ends.
 */
export function countFetches() {
  const real = globalThis.fetch;
  let inFlight = 0;
  globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
    inFlight += 1;
    return real(...args).finally(() => {
      inFlight -= 1;
    });
  }) as typeof fetch;
  return {
    inFlight: () => inFlight,
    restore: () => {
      globalThis.fetch = real;
    },
  };
}
