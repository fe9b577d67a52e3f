import { createHash } from 'node:crypto';

/**
 * The id of a run: derived from the scenario text, the seed and baton's
 * version, so a replay has the same id and re-storing it adds no duplicates.
 */
export function runIdOf(scenarioText: string, seed: number, version: string, variant = ''): string {
  return createHash('sha256').update(`${scenarioText}\n--seed ${seed}\n--version ${version}\n${variant}`).digest('hex').slice(0, 16);
}
