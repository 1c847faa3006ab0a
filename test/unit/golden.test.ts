// The golden-file helper: a missing golden file is written on a developer's machine and fails in CI,
// where a file written by the run it checks would prove nothing.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectGolden, GOLDEN } from '../helpers/golden.js';

const NAME = `.tmp-golden-test-${process.pid}.txt`;
afterEach(() => rmSync(join(GOLDEN, NAME), { force: true }));

describe('golden files', () => {
  it('fails when the golden file is missing and CI is set, and writes nothing', () => {
    expect(() => expectGolden(NAME, 'text', { CI: 'true' })).toThrow(/no golden file .*commit the file/);
    expect(existsSync(join(GOLDEN, NAME))).toBe(false);
  });

  it('writes a missing golden file outside CI, then compares against it', () => {
    expectGolden(NAME, 'text', {});
    expect(existsSync(join(GOLDEN, NAME))).toBe(true);
    expect(() => expectGolden(NAME, 'other', { CI: 'true' })).toThrow();
    expectGolden(NAME, 'other', { UPDATE_GOLDEN: '1' });
    expectGolden(NAME, 'other', { CI: 'true' });
  });
});
