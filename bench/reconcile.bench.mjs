// Plan at scale, against the emulator over loopback HTTP: 5,000 declared webhooks in 50 files
// against 5,000 live ones (see scenario.mjs).
import { maxRssMb, planScenario, runChild, timePlanAndFloor } from './scenario.mjs';

export async function run(report) {
  const scenario = await planScenario(5000);
  try {
    // The CLI as users run it: request count and peak memory.
    scenario.emulator.resetLog();
    const child = await runChild(['plan', scenario.dir], scenario.env);
    if (child.code !== 0) throw new Error(`plan failed: ${child.stderr}`);
    report('plan: requests sent (5,000 declared, 5,000 live)', scenario.emulator.requests.length, 'req', { max: 1 });
    report('plan: peak memory of the whole process (maxRSS)', maxRssMb(child), 'MB', { max: 300 });

    // Wall time in process, against the floor measured in the same run.
    const { plan, floor } = await timePlanAndFloor(scenario, 15);
    report('plan: wall time, in process (median of 15)', plan, 'ms', {});
    report('floor: read + YAML-parse the files + one list + JSON.parse', floor, 'ms', {});
    report('plan / floor', plan / floor, 'x', { max: 1.3 });
  } finally {
    await scenario.close();
  }
}
