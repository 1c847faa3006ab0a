// Phase 2, infrastructure services: OpenBao, Keycloak, Traefik and monitoring run in Kubernetes as they
// did in Compose, and monitoring and alerting work (success criterion 4).
import { defineGate } from 'cutover';

export default defineGate({
  id: '2',
  phase: 2,
  title: 'Phase 2 — infrastructure services: OpenBao, Keycloak, Traefik, monitoring',
  criteria: [
    {
      id: 'infra.smoke',
      title: 'Every phase-2 service healthy on the target',
      serves: 1,
      expr: 'smoke{phase:2}.failed == 0',
    },
    {
      id: 'infra.posture',
      title: 'No critical workload-posture finding on the target',
      serves: 1,
      expr: 'security{source:posture}.critical == 0',
    },
    {
      // Keycloak's token issuance is the infrastructure's load scenario: every application's login goes
      // through it. A warning here, as the performance suite is opt-in for `cutover run`; phase 4 blocks
      // on the p(95) of every endpoint, these included. The same limit as the wave gates' median.
      id: 'infra.perf.median',
      title: 'Median latency per infrastructure endpoint no more than 10 % (+10 ms) above the baseline',
      serves: 2,
      blocking: false,
      expr: 'http_req_duration{phase:2}: med <= baseline * 1.10 + 10ms',
    },
    {
      id: 'infra.monitoring',
      title: 'Monitoring scrapes every service and alerting fires end to end',
      serves: 4,
      expr: 'monitoring.failed == 0',
      maxAge: '24h',
    },
  ],
});
