// Phase 4, testing and validation: the whole platform in Kubernetes, against every success criterion.
import { defineGate } from 'cutover';

export default defineGate({
  id: '4',
  phase: 4,
  title: 'Phase 4 — testing and validation of the whole platform',
  criteria: [
    { id: 'smoke', title: 'Every service healthy on the target', serves: 1, expr: 'smoke.failed == 0' },
    {
      id: 'security.critical',
      title: 'No critical security finding from any source',
      serves: 1,
      expr: 'security.critical == 0',
    },
    {
      id: 'parity',
      title: 'Every integration step answers as on the baseline',
      serves: 3,
      expr: 'parity.ratio == 1',
    },
    { id: 'integration', title: 'No failed integration check', serves: 3, expr: 'integration.failed == 0' },
    {
      id: 'perf.p95',
      title: 'p(95) latency per endpoint no more than 10 % (+5 ms) above the baseline',
      serves: 2,
      expr: 'http_req_duration: p(95) <= baseline * 1.10 + 5ms',
    },
    {
      id: 'perf.p99',
      title: 'p(99) latency per endpoint no more than 20 % (+10 ms) above the baseline',
      serves: 2,
      blocking: false,
      expr: 'http_req_duration: p(99) <= baseline * 1.20 + 10ms',
    },
    {
      id: 'perf.errors',
      title: 'Error rate no more than 0.1 point above the baseline',
      serves: 2,
      expr: 'http_req_failed: rate <= baseline + 0.001',
      per: ['service'],
    },
    {
      id: 'perf.checks',
      title: 'Each scenario check holds no less often than on the baseline (0.1 point)',
      serves: 3,
      // A warning, as in the wave gates: scenarios need not have checks.
      blocking: false,
      expr: 'checks: rate >= baseline - 0.001',
    },
    {
      id: 'monitoring',
      title: 'Monitoring and alerting work',
      serves: 4,
      expr: 'monitoring.failed == 0',
      maxAge: '24h',
    },
    {
      id: 'backup',
      title: 'Backups taken and restored within the last day',
      serves: 5,
      expr: 'backup.failed == 0',
      maxAge: '24h',
    },
    {
      id: 'data-parity',
      title: 'Data equal between Compose and Kubernetes stores',
      serves: 3,
      expr: 'data-parity.failed == 0',
      maxAge: '24h',
    },
    {
      id: 'rehearsal',
      title: 'Cutover rehearsed end to end',
      serves: 1,
      attestation: 'cutover-rehearsal',
      maxAge: '30d',
    },
    {
      id: 'documentation',
      title: 'Runbooks and documentation updated',
      serves: 6,
      attestation: 'documentation-updated',
      maxAge: '90d',
    },
  ],
});
