/** Error classes of seed 003's ErrorRecoveryManager. */
export type ErrorClass = 'transient' | 'resource' | 'data' | 'critical' | 'unknown';

/** Recovery strategies of seed 003. */
export type RecoveryStrategy = 'retry' | 'fallback' | 'compensate' | 'escalate' | 'abort';

const RULES: { errorClass: ErrorClass; patterns: RegExp }[] = [
  { errorClass: 'transient', patterns: /timeout|econnrefused|ack[-_]timeout|unavailable|partition/i },
  { errorClass: 'resource', patterns: /rate.?limit|quota|budget[-_]exceeded|overloaded/i },
  { errorClass: 'data', patterns: /validation|invalid|schema|checksum|malformed/i },
  { errorClass: 'critical', patterns: /auth|permission denied|forbidden/i },
];

/** Classifies an error message the way seed 003 does (first matching rule; else `unknown`). */
export function classifyError(message: string): ErrorClass {
  return RULES.find((rule) => rule.patterns.test(message))?.errorClass ?? 'unknown';
}

/** Attempts of a transient error before it is escalated (seed 003: 3). */
export const TRANSIENT_RETRIES_MAX = 3;

/**
 * The recovery for an error class (seed 003): transient → retry while
 * attempts remain, then escalate; resource → fallback agent if one exists,
 * else escalate; data → compensate; critical → abort; unknown → escalate.
 */
export function recoveryFor(errorClass: ErrorClass, attempts: number, hasFallback: boolean): RecoveryStrategy {
  switch (errorClass) {
    case 'transient':
      return attempts < TRANSIENT_RETRIES_MAX ? 'retry' : 'escalate';
    case 'resource':
      return hasFallback ? 'fallback' : 'escalate';
    case 'data':
      return 'compensate';
    case 'critical':
      return 'abort';
    case 'unknown':
      return 'escalate';
  }
}
