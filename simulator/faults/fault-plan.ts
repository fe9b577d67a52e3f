import type { Kernel } from '../kernel/kernel.js';
import type { SimNetwork } from '../world/sim-network.js';
import { msToUs } from '../world/sim-clock.js';
import type { ScriptedFault } from './scripted-faults.js';

/** Reports an injected fault: its kind and target, at the current virtual time. */
export type FaultRecorder = (kind: string, target: string) => void;

/**
 * Schedules every scripted fault and its healing on the kernel. Returns the
 * virtual time (µs) after which every scripted fault is healed.
 */
export function scheduleFaults(kernel: Kernel, network: SimNetwork, faults: readonly ScriptedFault[], record: FaultRecorder): number {
  let healedAtUs = 0;
  for (const fault of faults) {
    const startUs = msToUs(fault.atMs);
    const endUs = startUs + msToUs(fault.forMs);
    healedAtUs = Math.max(healedAtUs, endUs);
    switch (fault.kind) {
      case 'partition': {
        const target = `${fault.groups[0].join(',')}${fault.oneWay ? '->' : '<->'}${fault.groups[1].join(',')}`;
        kernel.schedule(startUs, () => {
          const id = network.partition(fault.groups[0], fault.groups[1], fault.oneWay ?? false);
          record('partition', target);
          kernel.schedule(endUs - startUs, () => network.repair(id));
        });
        break;
      }
      case 'crash':
        for (const node of fault.targets) {
          kernel.schedule(startUs, () => {
            network.crash(node);
            record('crash', node);
          }, true);
          kernel.schedule(endUs, () => network.restart(node), true);
        }
        break;
    }
  }
  return healedAtUs;
}
