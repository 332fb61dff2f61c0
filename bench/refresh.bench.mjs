// ldhooks' plan side by side with a per-webhook refresh, as LaunchDarkly's Terraform provider
// makes one on every plan: one GET /api/v2/webhooks/{id} per webhook, one at a time by default.
// Both read the same account from the same emulator, every answer held back 50 ms as a distant
// server's would be. ldhooks lists the account once: LaunchDarkly's webhook list is one page.
import { LaunchDarklyClient } from '../dist/adapters/launchdarkly/client.js';
import { median, planOnce, planScenario } from './scenario.mjs';

const LATENCY_MS = 50;

/** N GETs, `concurrency` at a time, each answer read whole, as a refresh reads each resource. */
async function refresh(emulator, ids, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const res = await fetch(`${emulator.url}/api/v2/webhooks/${id}`, {
        headers: { Authorization: emulator.token, 'LD-API-Version': '20240415' },
      });
      if (res.status !== 200) throw new Error(`GET ${id}: ${res.status}`);
      JSON.parse(await res.text());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Wall time and requests of one run against the emulator. */
async function measure(emulator, run) {
  emulator.resetLog();
  const t = performance.now();
  await run();
  return { ms: performance.now() - t, requests: emulator.requests.length };
}

export async function run(report) {
  for (const n of [100, 1000]) {
    const scenario = await planScenario(n, { latencyMs: LATENCY_MS });
    try {
      const { emulator } = scenario;
      const size = n.toLocaleString('en-US');
      const client = new LaunchDarklyClient({ baseUri: emulator.url, token: emulator.token });
      await planOnce(scenario, client);
      const plans = [];
      for (let r = 0; r < 3; r++) plans.push(await measure(emulator, () => planOnce(scenario, client)));
      const plan = { ms: median(plans.map((p) => p.ms)), requests: plans[0].requests };
      report(`refresh: ${size} webhooks, ${LATENCY_MS} ms a request: ldhooks plan, requests`, plan.requests, 'req', { max: 1 });
      report(`refresh: ${size} webhooks: ldhooks plan, wall time (median of 3)`, plan.ms, 'ms', {});

      const ids = emulator.store.all().map((h) => h._id);
      for (const concurrency of [1, 10]) {
        const r = await measure(emulator, () => refresh(emulator, ids, concurrency));
        report(`refresh: ${size} webhooks: one GET each, concurrency ${concurrency}, requests`, r.requests, 'req', {});
        report(`refresh: ${size} webhooks: one GET each, concurrency ${concurrency}, wall time (one run)`, r.ms, 'ms', {});
        report(`refresh: ${size} webhooks: concurrency ${concurrency} refresh / ldhooks plan`, r.ms / plan.ms, 'x', {});
      }
    } finally {
      await scenario.close();
    }
  }
}
