// Phase 5, cutover and decommissioning: traffic runs on Kubernetes, Compose receives none, data and
// backups are current, and the people responsible signed off.
import { defineGate } from 'cutover';

export default defineGate({
  id: '5',
  phase: 5,
  title: 'Phase 5 — cutover and decommissioning of Docker Compose',
  maxAge: '24h',
  criteria: [
    {
      id: 'traffic.errors',
      title: 'Post-cutover production traffic on Kubernetes has under 1 % errors',
      serves: 1,
      expr: 'http_req_failed: rate < 0.01',
      suite: 'post-cutover',
    },
    {
      // The watch's verdict on production traffic against the Compose baseline: a rollback it recommended
      // (latency or errors beyond the baseline, breach after breach) or a host still resolving to Compose.
      id: 'traffic.watch',
      title: 'The post-cutover watch recommended no rollback, and DNS points at Kubernetes',
      serves: 2,
      expr: 'post-cutover.failed == 0',
    },
    {
      id: 'traffic.compose-idle',
      title: 'Compose receives no traffic any more',
      serves: 1,
      expr: 'http_reqs: count == 0',
      suite: 'post-cutover',
      environment: 'baseline',
    },
    {
      id: 'data-parity',
      title: 'Final data sync: stores equal at cutover',
      serves: 3,
      expr: 'data-parity.failed == 0',
    },
    {
      id: 'backup',
      title: 'A backup of every store restored within the last day',
      serves: 5,
      expr: 'backup.failed == 0',
    },
    {
      id: 'monitoring',
      title: 'Monitoring and alerting work on the new platform',
      serves: 4,
      expr: 'monitoring.failed == 0',
    },
    {
      id: 'security.critical',
      title: 'No critical security finding',
      serves: 1,
      expr: 'security.critical == 0',
    },
    {
      id: 'decommission',
      title: 'Decommissioning of Compose approved',
      serves: 6,
      attestation: 'decommission-approved',
      maxAge: '7d',
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
