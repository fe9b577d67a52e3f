/** Re-records golden-runs.json (see golden-runs.ts): `node --import tsx test/bench/golden/record.ts`. */
import { writeFileSync } from 'node:fs';
import { goldenCases, goldenRun, type GoldenRun } from './golden-runs.js';

const runs: GoldenRun[] = [];
for (const { file, swarm, seed } of goldenCases()) runs.push(await goldenRun(file, swarm, seed));
writeFileSync(new URL('./golden-runs.json', import.meta.url), `${JSON.stringify(runs, null, 1)}\n`);
console.log(`recorded ${runs.length} golden runs`);
