import { afterEach, describe, expect, it, vi } from 'vitest';
import { useColor } from '../../../cli/pipeline/report-outputs.js';

describe('useColor', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('colours a terminal only, and never when NO_COLOR is set', () => {
    vi.stubEnv('NO_COLOR', '');
    expect(useColor({ isTTY: true })).toBe(true);
    expect(useColor({ isTTY: false })).toBe(false);
    expect(useColor({})).toBe(false);
    vi.stubEnv('NO_COLOR', '1');
    expect(useColor({ isTTY: true })).toBe(false);
  });
});
