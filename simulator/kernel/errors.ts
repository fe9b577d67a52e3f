/** Which bound of a simulated run was passed. */
export type SimLimitKind = 'events' | 'simulated-time';

/**
 * Thrown by the kernel when a run passes one of its bounds. A run never hangs:
 * it either goes idle, or ends with this error.
 */
export class SimLimitError extends Error {
  readonly code = 'BATON_ERR_SIM_LIMIT';
  constructor(
    readonly kind: SimLimitKind,
    readonly limit: number,
    readonly atUs: number,
  ) {
    super(
      kind === 'events'
        ? `simulation passed its event limit (${limit} events) at virtual time ${atUs} µs`
        : `simulation passed its time limit (${limit} µs of virtual time)`,
    );
    this.name = 'SimLimitError';
  }
}
