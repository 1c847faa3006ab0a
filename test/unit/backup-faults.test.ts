// The Velero faults of the simulated cluster: parsed as a `backup` fault of the component `velero`,
// refused with the right form when aimed elsewhere.
import { describe, expect, it } from 'vitest';
import { parseFaultSpec, validateFaultTargets } from '../../src/core/faults.js';

describe('Velero faults', () => {
  it('parses backup-failed, backup-stale and restore-partial', () => {
    for (const defect of ['backup-failed', 'backup-stale', 'restore-partial']) {
      const parsed = parseFaultSpec(`target:velero:${defect}`);
      expect(parsed).toEqual({
        ok: true,
        value: {
          environment: 'target',
          service: 'velero',
          fault: { kind: 'backup', defect },
          source: `target:velero:${defect}`,
        },
      });
      // velero is no service of the platform, and need not be one
      if (parsed.ok)
        expect(validateFaultTargets([parsed.value], ['baseline', 'target'], ['rentguy-api'])).toEqual([]);
    }
  });

  it('a Velero fault aimed at a service names the right form', () => {
    const parsed = parseFaultSpec('target:rentguy-api:backup-stale');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(validateFaultTargets([parsed.value], ['target'], ['rentguy-api'])).toEqual([
      '--fault "target:rentguy-api:backup-stale": backup-stale is a fault of velero, as in target:velero:backup-stale',
    ]);
  });

  it('an unknown fault lists the Velero ones', () => {
    const parsed = parseFaultSpec('target:velero:backup-gone');
    expect(parsed.ok === false && parsed.error).toMatch(
      /backup-failed \| backup-stale \| restore-partial \(velero\)/,
    );
  });
});
