import { describe, expect, it } from 'vitest';
import { backoffMs, withBackoff } from '../../../collector/store/backoff.js';
import { classifyServerError } from '../../../collector/store/server-store.js';

describe('withBackoff', () => {
  it('waits min × 2^(k-1), capped, and stops after attemptsMax', async () => {
    const waits: number[] = [];
    let attempts = 0;
    const failing = withBackoff(
      async () => {
        attempts += 1;
        throw new Error('down');
      },
      () => true,
      { attemptsMax: 5, backoffMsMin: 100, backoffMsMax: 500, sleep: async (ms) => void waits.push(ms) },
    );
    await expect(failing).rejects.toThrow('down');
    expect(attempts).toBe(5);
    expect(waits).toEqual([100, 200, 400, 500]);
    expect(backoffMs(1, { backoffMsMin: 100, backoffMsMax: 5_000 })).toBe(100);
  });

  it('does not retry what shouldRetry refuses', async () => {
    let attempts = 0;
    await expect(
      withBackoff(
        async () => {
          attempts += 1;
          throw new Error('bad sql');
        },
        () => false,
        { attemptsMax: 5, backoffMsMin: 1, backoffMsMax: 1 },
      ),
    ).rejects.toThrow('bad sql');
    expect(attempts).toBe(1);
  });
});

describe('classifyServerError', () => {
  const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8123`), { code });

  it.each([
    [socketError('ECONNREFUSED'), 'unreachable'],
    [socketError('ECONNRESET'), 'unreachable'],
    [new Error('socket hang up'), 'unreachable'],
    [new Error('Timeout error.'), 'unreachable'],
    // An HTTP error answer with an empty body (@clickhouse/client rejects with its text, ''):
    // 18.16 mid-restart. Not a query error, which always carries a code.
    [new Error(''), 'transient'],
    // 18.16 wording
    [new Error('Code: 193, e.displayText() = DB::Exception: Wrong password for user baton, e.what() = DB::Exception'), 'auth'],
    [new Error('Code: 192, e.displayText() = DB::Exception: Unknown user nobody, e.what() = DB::Exception'), 'auth'],
    // current wording
    [new Error('Code: 516. DB::Exception: baton: Authentication failed: password is incorrect. (AUTHENTICATION_FAILED)'), 'auth'],
    [new Error('Code: 202, e.displayText() = DB::Exception: Too many simultaneous queries'), 'transient'],
    [new Error("Code: 60, e.displayText() = DB::Exception: Table b.spans doesn't exist., e.what() = DB::Exception"), 'missing'],
    [new Error("Code: 81, e.displayText() = DB::Exception: Database b doesn't exist, e.what() = DB::Exception"), 'missing'],
    [new Error('Code: 62, e.displayText() = DB::Exception: Syntax error'), 'query'],
  ])('%s → %s', (error, failure) => {
    expect(classifyServerError(error)).toBe(failure);
  });
});
