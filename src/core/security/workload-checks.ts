// Workload hygiene beyond the Pod Security Standards: resources, probes, image tags, secret values
// in plain env, the service-account token mount. Field paths and default severities follow Polaris
// and kube-score (shared/reference/security.md §3, rows 13–17 and 21).
import type { SecurityFinding } from './finding.js';
import { type Json, parseImage, type Workload } from './objects.js';

// Kubescape C-0012's sensitive key names, plus the usual spellings of keys and DSNs with passwords.
const SENSITIVE_NAME =
  /(pass(word|wd)?|pwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|bearer|jwt|auth[_-]?key|dsn|connection[_-]?string)/i;
// `*_FILE` names hold a path to a mounted secret (the Docker secrets convention), not the secret.
const FILE_REFERENCE = /_FILE$/i;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:[^@/\s]+@/i;

export interface WorkloadCheckOptions {
  /** ServiceAccounts (`namespace/name`) with automountServiceAccountToken: false. */
  serviceAccountsWithoutAutomount: ReadonlySet<string>;
  /** ServiceAccounts (`namespace/name`) that an RBAC binding grants something: they use the API. */
  serviceAccountsInUse: ReadonlySet<string>;
}

export interface CheckTally {
  /** Every (check, target) evaluated, to count passes. */
  evaluated: number;
  findings: SecurityFinding[];
}

export function checkWorkload(w: Workload, options: WorkloadCheckOptions): CheckTally {
  const findings: SecurityFinding[] = [];
  let evaluated = 0;
  const isBatch = w.kind === 'Job' || w.kind === 'CronJob';

  for (const c of w.containers) {
    if (c.list === 'ephemeralContainers') continue;
    const name = c.container.name ?? `#${c.index}`;
    const image = String(c.container.image ?? '');

    evaluated++;
    const { tag, digest } = parseImage(image);
    if (!digest && (!tag || tag === 'latest')) {
      findings.push({
        check: 'image-tag',
        severity: 'high',
        object: w.ref,
        path: `${c.path}.image`,
        message: `container "${name}" uses ${tag ? `the mutable tag ${image}` : `${image} without a tag (:latest)`}`,
        remedy: 'pin the image to a version tag or a digest (image: repo:1.2.3 or repo@sha256:…)',
      });
    }

    evaluated++;
    if (!c.container.securityContext && !w.podSpec.securityContext) {
      findings.push({
        check: 'security-context',
        severity: 'medium',
        object: w.ref,
        path: `${c.path}.securityContext`,
        message: `container "${name}" has no securityContext (and neither has the pod): it runs with the image's user and every default capability`,
        remedy:
          'set runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: ["ALL"], seccompProfile.type: RuntimeDefault, readOnlyRootFilesystem: true',
      });
    }

    const resources = (c.container.resources ?? {}) as Json;
    evaluated++;
    const missing = [
      resources.requests?.cpu === undefined ? 'requests.cpu' : '',
      resources.requests?.memory === undefined ? 'requests.memory' : '',
      resources.limits?.memory === undefined ? 'limits.memory' : '',
    ].filter(Boolean);
    if (missing.length > 0) {
      findings.push({
        check: 'resources',
        severity: missing.includes('limits.memory') ? 'medium' : 'low',
        object: w.ref,
        path: `${c.path}.resources`,
        message: `container "${name}" has no ${missing.join(', ')}`,
        remedy: 'set resources.requests.cpu, requests.memory and limits.memory',
      });
    }

    // Probes: not for init containers or run-to-completion pods (Polaris and kube-score skip them).
    if (c.list === 'containers' && !isBatch) {
      for (const probe of ['readinessProbe', 'livenessProbe'] as const) {
        evaluated++;
        if (!c.container[probe]) {
          findings.push({
            check: 'probes',
            severity: probe === 'readinessProbe' ? 'medium' : 'low',
            object: w.ref,
            path: `${c.path}.${probe}`,
            message: `container "${name}" has no ${probe}`,
            remedy:
              probe === 'readinessProbe'
                ? 'add a readinessProbe so the Service only routes to pods that can answer'
                : 'add a livenessProbe so a hung process is restarted',
          });
        }
      }
    }

    const env: Json[] = Array.isArray(c.container.env) ? c.container.env : [];
    env.forEach((e, i) => {
      if (typeof e?.value !== 'string' || e.value === '') return;
      evaluated++;
      const byName = SENSITIVE_NAME.test(String(e.name)) && !FILE_REFERENCE.test(String(e.name));
      if (byName || PRIVATE_KEY.test(e.value) || CREDENTIAL_URL.test(e.value)) {
        findings.push({
          check: 'secret-env',
          severity: 'high',
          object: w.ref,
          path: `${c.path}.env[${i}].value`,
          // The name only: the value is a secret and never reaches a report.
          message: `container "${name}" sets ${e.name} as a plain-text value`,
          remedy: `move ${e.name} into a Secret and use env[].valueFrom.secretKeyRef (or OpenBao injection)`,
        });
      }
    });
  }

  if (!isBatch) {
    evaluated++;
    const sa = String(w.podSpec.serviceAccountName ?? w.podSpec.serviceAccount ?? 'default');
    const key = `${w.namespace}/${sa}`;
    const podSetting = w.podSpec.automountServiceAccountToken;
    const off =
      podSetting === false || (podSetting === undefined && options.serviceAccountsWithoutAutomount.has(key));
    if (!off && !options.serviceAccountsInUse.has(key)) {
      findings.push({
        check: 'automount-service-account-token',
        severity: 'low',
        object: w.ref,
        path: `${w.specPath}.automountServiceAccountToken`,
        message: `the pod mounts a token for ServiceAccount "${sa}", which no RBAC binding uses`,
        remedy:
          'set automountServiceAccountToken: false on the pod or its ServiceAccount unless it calls the API',
      });
    }
  }
  return { evaluated, findings };
}
