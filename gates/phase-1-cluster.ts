// Phase 1, cluster setup: the Kubernetes 1.28 cluster is ready for workloads and hardened.
import { defineGate } from 'cutover';

export default defineGate({
  id: '1',
  phase: 1,
  title: 'Phase 1 — cluster setup: nodes ready, CIS benchmark without critical findings',
  criteria: [
    {
      id: 'cluster.readiness',
      title: 'Nodes, system pods and API server ready',
      serves: 1,
      expr: 'security{source:readiness}.critical == 0',
      maxAge: '24h',
    },
    {
      id: 'cluster.kube-bench.critical',
      title: 'No critical CIS Kubernetes Benchmark finding (kube-bench)',
      serves: 1,
      expr: 'security{source:kube-bench}.critical == 0',
    },
    {
      id: 'cluster.kube-bench.high',
      title: 'No high CIS Kubernetes Benchmark finding (kube-bench)',
      serves: 1,
      blocking: false,
      expr: 'security{source:kube-bench}.high == 0',
    },
    {
      id: 'cluster.inventory',
      title: 'The cluster inventory has no critical finding (versions, storage classes, ingress)',
      serves: 1,
      expr: 'security{source:inventory}.critical == 0',
    },
  ],
});
