// Generates config trees for the benchmarks: N webhooks spread over F files.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export function webhookName(i) {
  return `hook-${String(i).padStart(5, '0')}`;
}

export function webhookYaml(i) {
  return [
    `  - name: ${webhookName(i)}`,
    `    url: https://hooks.example.com/launchdarkly/${i}`,
    `    tags: [team-${i % 17}, bench]`,
    '    statements:',
    '      - effect: allow',
    `        resources: ["proj/p${i % 13}:env/production:flag/*"]`,
    '        actions: ["updateOn", "updateRules"]',
    '',
  ].join('\n');
}

export async function writeConfigTree(dir, webhooks, files) {
  await mkdir(dir, { recursive: true });
  const perFile = Math.ceil(webhooks / files);
  for (let f = 0; f < files; f++) {
    const lines = ['version: 1', 'webhooks:'];
    for (let i = f * perFile; i < Math.min(webhooks, (f + 1) * perFile); i++) lines.push(webhookYaml(i));
    await writeFile(path.join(dir, `team-${String(f).padStart(3, '0')}.yaml`), `${lines.join('\n')}\n`);
  }
}
