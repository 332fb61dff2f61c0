// Plan at growing sizes: 100, 1,000, 5,000 and 20,000 declared webhooks against as many live
// ones (the scenario of scenario.mjs). Wall time in process (median), peak memory of the CLI in
// a child process, and the growth exponent fitted to time against size: 1 is linear.
import { maxRssMb, planScenario, runChild, timePlanAndFloor } from './scenario.mjs';

const SIZES = [
  { n: 100, rounds: 21 },
  { n: 1000, rounds: 11 },
  { n: 5000, rounds: 5 },
  { n: 20000, rounds: 3 },
];

/** The slope of the least-squares line through (log n, log t). */
export function growthExponent(points) {
  const xs = points.map((p) => Math.log(p.n));
  const ys = points.map((p) => Math.log(p.t));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

export async function run(report) {
  const plans = [];
  const floors = [];
  for (const { n, rounds } of SIZES) {
    const scenario = await planScenario(n);
    try {
      const child = await runChild(['plan', scenario.dir], scenario.env);
      if (child.code !== 0) throw new Error(`plan failed: ${child.stderr}`);
      const { plan, floor } = await timePlanAndFloor(scenario, rounds);
      const size = n.toLocaleString('en-US');
      report(`scale: plan of ${size}: wall time, in process (median of ${rounds})`, plan, 'ms', {});
      report(`scale: plan of ${size}: plan / floor`, plan / floor, 'x', {});
      report(`scale: plan of ${size}: peak memory of the whole process (maxRSS)`, maxRssMb(child), 'MB', n === 20000 ? { max: 300 } : {});
      plans.push({ n, t: plan });
      floors.push({ n, t: floor });
    } finally {
      await scenario.close();
    }
  }
  report('scale: growth exponent of plan time (log-log fit, 100 to 20,000)', growthExponent(plans), '', { max: 1.1 });
  report('scale: growth exponent of the floor, for comparison', growthExponent(floors), '', {});
  // Without the smallest size, whose fixed costs (a full collection before each run, a request,
  // cold code) weigh most and flatten the fit above.
  report('scale: growth exponent of plan time, 1,000 to 20,000', growthExponent(plans.slice(1)), '', {});
  for (const { n, t } of plans) {
    report(`scale: plan of ${n.toLocaleString('en-US')}: time per webhook`, (t * 1000) / n, 'us', {});
  }
}
