import { describe, expect, it } from 'vitest';
import { BudgetLedger } from '../../../core/resilience/budget-ledger.js';
import { CircuitBreaker } from '../../../core/resilience/circuit-breaker.js';
import { classifyError, recoveryFor } from '../../../core/resilience/error-classification.js';
import { Saga } from '../../../core/resilience/saga.js';

describe('circuit breaker (seed 002)', () => {
  it('closed → open after the failure threshold → half-open after the reset → closed on success', () => {
    const breaker = new CircuitBreaker(3, 300);
    for (let i = 0; i < 2; i++) breaker.record(false, 0);
    expect(breaker.state(0)).toBe('closed');
    breaker.record(false, 0);
    expect(breaker.state(0)).toBe('open');
    expect(breaker.allows(299_999)).toBe(false);
    expect(breaker.state(300_000)).toBe('half-open');
    breaker.record(true, 300_000);
    expect(breaker.state(300_000)).toBe('closed');
  });
  it('a failed trial call re-opens it', () => {
    const breaker = new CircuitBreaker(1, 10);
    breaker.record(false, 0);
    expect(breaker.state(10_000)).toBe('half-open');
    breaker.record(false, 10_000);
    expect(breaker.state(10_000)).toBe('open');
  });
});

describe('error classification (seed 003)', () => {
  it('classifies and picks the recovery strategy', () => {
    expect(classifyError('task_timeout')).toBe('transient');
    expect(classifyError('rate limit reached')).toBe('resource');
    expect(classifyError('schema-invalid: /x')).toBe('data');
    expect(classifyError('permission denied')).toBe('critical');
    expect(classifyError('???')).toBe('unknown');
    expect(recoveryFor('transient', 1, false)).toBe('retry');
    expect(recoveryFor('transient', 3, false)).toBe('escalate');
    expect(recoveryFor('resource', 1, true)).toBe('fallback');
    expect(recoveryFor('data', 1, false)).toBe('compensate');
    expect(recoveryFor('critical', 1, false)).toBe('abort');
  });
});

describe('saga', () => {
  it('compensates in reverse order and keeps going past a failed compensation', async () => {
    const saga = new Saga();
    const order: string[] = [];
    saga.register({ id: 'a', undo: async () => void order.push('a') });
    saga.register({ id: 'b', undo: async () => { order.push('b'); throw new Error('nope'); } });
    saga.register({ id: 'c', undo: async () => void order.push('c') });
    const outcomes = await saga.compensate();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(saga.size).toBe(0);
  });
});

describe('budget ledger', () => {
  it('refuses a reservation that would pass the limit and never exceeds it', () => {
    const ledger = new BudgetLedger({ tokens: 1000, calls: 2 });
    expect(ledger.reserve({ tokens: 600, calls: 1 })).toEqual({ ok: true });
    expect(ledger.reserve({ tokens: 600, calls: 1 })).toMatchObject({ ok: false, resource: 'tokens', remaining: 400 });
    ledger.settle({ tokens: 600, calls: 1 }, { tokens: 450, calls: 1 });
    expect(ledger.usedOf('tokens')).toBe(450);
    expect(ledger.remaining('tokens')).toBe(550);
    expect(ledger.remaining('costUsd')).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('recovery decisions of the supervisor', async () => {
  const { decideRecovery } = await import('../../../core/supervisor/failure-recovery.js');
  it('maps classes to strategies with the attempt limit on top', () => {
    expect(decideRecovery('task_timeout', 1, 3, false).strategy).toBe('retry');
    expect(decideRecovery('agent_error', 1, 3, false).strategy).toBe('retry');
    expect(decideRecovery('task_timeout', 3, 3, false).strategy).toBe('escalate');
    expect(decideRecovery('rate limit', 1, 3, true).strategy).toBe('fallback');
    expect(decideRecovery('budget_exceeded', 1, 3, false).strategy).toBe('escalate');
    expect(decideRecovery('validation failed', 1, 3, false).strategy).toBe('compensate');
    expect(decideRecovery('permission denied', 1, 3, false).strategy).toBe('abort');
  });
});
