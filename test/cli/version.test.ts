import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BATON_VERSION } from '../../cli/version.js';

describe('version', () => {
  it('the version in run ids is the package version', () => {
    expect(BATON_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
