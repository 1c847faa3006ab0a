// Inventory parity as security findings for the gates: a Compose service with no Kubernetes workload,
// and every difference that matters (info-level notes, such as a published port that became a
// different Service port, stay in the inventory report only).
import type { SecurityFinding } from '../security/finding.js';
import type { InventoryReport } from './parity.js';

const REMEDY: Record<string, string> = {
  workload: 'deploy the service (kompose convert shows the Deployment and Service it maps to)',
  service: 'add a Service selecting the workload’s pods with the Compose ports',
  image: 'deploy the same image repository and tag as Compose, or record why it changed',
  ports: 'add the containerPort and a Service port:targetPort for the Compose port',
  env: 'set the missing variables (values from a Secret or ConfigMap)',
  volumes: 'mount a PersistentVolumeClaim at the same path (kompose maps named volumes to PVCs)',
  healthcheck: 'add a livenessProbe/readinessProbe equivalent to the Compose healthcheck',
  replicas: 'set spec.replicas to at least the Compose replicas',
  limits: 'set resources.limits at least as high as the Compose limits',
};

export function inventoryFindings(report: InventoryReport): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  for (const s of report.services) {
    for (const d of s.differences) {
      if (d.severity === 'info') continue;
      out.push({
        check: `inventory-${d.field}`,
        severity: d.severity,
        object: s.workload ?? `compose service ${s.name}`,
        path: d.field,
        message: `${s.name}: ${d.message}`,
        remedy: REMEDY[d.field] ?? 'align the Kubernetes object with the Compose service',
      });
    }
  }
  return out;
}
