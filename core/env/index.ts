export type { Env } from './env.js';
export type { Clock, TimerHandle } from './clock.js';
export type { RandomSource, RandomStream, Distribution } from './random.js';
export { sample, chance, integerBetween } from './random.js';
export type { Message, MessageHandler, NodeLifecycle, Transport } from './transport.js';
export type { Versioned, ReadSource, WriteResult, VersionedStorage } from './storage.js';
export type { BudgetResource, CoreEvent, HandoffPhase, Observer, WorkflowStatus } from './observer.js';
