// The Pod Security Standards, baseline and restricted, evaluated per pod template and container the
// way the pod-security-admission library does (kubernetes/pod-security-admission policy/check_*.go,
// at the Kubernetes 1.28 level): a workload "passes baseline" when no baseline check fails, and
// "passes restricted" when neither a baseline nor a restricted check fails.
// Re-implemented rather than called because PSA is Go; the field list is in
// shared/reference/security.md §3 and each check names its PSA counterpart.
import type { Severity } from '../evidence.js';
import type { Json, Workload } from './objects.js';

export type PssLevel = 'baseline' | 'restricted';

export interface PssViolation {
  level: PssLevel;
  check: string;
  severity: Severity;
  path: string;
  message: string;
  remedy: string;
}

const BASELINE_CAPS = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
// Kubernetes 1.27+ safe sysctls (the 1.28 level).
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
]);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'downwardAPI',
  'emptyDir',
  'projected',
  'secret',
  'csi',
  'persistentVolumeClaim',
  'ephemeral',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

export function evaluatePss(w: Workload): PssViolation[] {
  const out: PssViolation[] = [];
  const spec = w.podSpec;
  const podSc = (spec.securityContext ?? {}) as Json;
  const sp = w.specPath;
  const add = (v: PssViolation) => out.push(v);

  // Baseline: host namespaces (PSA hostNamespaces).
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) {
      add({
        level: 'baseline',
        check: 'pss-host-namespaces',
        severity: 'high',
        path: `${sp}.${field}`,
        message: `${field} is true: the pod shares the node's ${field.slice(4).toLowerCase()} namespace`,
        remedy: `remove ${field} (or set it to false)`,
      });
    }
  }
  // Baseline: hostPath volumes; restricted: only the listed volume types.
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: Json, i: number) => {
    const type = Object.keys(v ?? {}).find((k) => k !== 'name');
    if (v?.hostPath) {
      add({
        level: 'baseline',
        check: 'pss-host-path',
        severity: 'high',
        path: `${sp}.volumes[${i}].hostPath`,
        message: `volume "${v.name}" mounts the node path ${v.hostPath.path ?? ''}`,
        remedy: 'use a persistentVolumeClaim, configMap, secret or emptyDir instead of hostPath',
      });
    } else if (type && !RESTRICTED_VOLUMES.has(type)) {
      add({
        level: 'restricted',
        check: 'pss-volume-types',
        severity: 'medium',
        path: `${sp}.volumes[${i}].${type}`,
        message: `volume "${v.name}" has type ${type}, not allowed by the restricted profile`,
        remedy:
          'use configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral or persistentVolumeClaim',
      });
    }
  });
  // Baseline: sysctls.
  (Array.isArray(podSc.sysctls) ? podSc.sysctls : []).forEach((s: Json, i: number) => {
    if (!SAFE_SYSCTLS.has(String(s?.name))) {
      add({
        level: 'baseline',
        check: 'pss-sysctls',
        severity: 'high',
        path: `${sp}.securityContext.sysctls[${i}].name`,
        message: `sysctl ${s?.name} is not in the safe set`,
        remedy: 'remove the unsafe sysctl',
      });
    }
  });
  checkSeLinux(podSc, `${sp}.securityContext`, add);
  if (podSc.seccompProfile?.type === 'Unconfined') {
    add({
      level: 'baseline',
      check: 'pss-seccomp',
      severity: 'high',
      path: `${sp}.securityContext.seccompProfile.type`,
      message: 'seccomp profile Unconfined',
      remedy: 'set seccompProfile.type: RuntimeDefault',
    });
  }
  const podSeccompSet = ['RuntimeDefault', 'Localhost'].includes(podSc.seccompProfile?.type);
  const podNonRoot = podSc.runAsNonRoot === true;
  if (podSc.runAsUser === 0) {
    add({
      level: 'restricted',
      check: 'pss-run-as-non-root',
      severity: 'medium',
      path: `${sp}.securityContext.runAsUser`,
      message: 'the pod runs as user 0 (root)',
      remedy: 'set runAsUser to a non-zero id and runAsNonRoot: true',
    });
  }

  for (const c of w.containers) {
    const sc = (c.container.securityContext ?? {}) as Json;
    const cp = `${c.path}.securityContext`;
    const name = c.container.name ?? `#${c.index}`;
    if (sc.privileged === true) {
      add({
        level: 'baseline',
        check: 'pss-privileged',
        severity: 'critical',
        path: `${cp}.privileged`,
        message: `container "${name}" is privileged (${cp}.privileged: true): it has every capability and the node's devices`,
        remedy: 'remove securityContext.privileged (or set it to false)',
      });
    }
    (Array.isArray(c.container.ports) ? c.container.ports : []).forEach((p: Json, i: number) => {
      if (p?.hostPort) {
        add({
          level: 'baseline',
          check: 'pss-host-ports',
          severity: 'medium',
          path: `${c.path}.ports[${i}].hostPort`,
          message: `container "${name}" binds host port ${p.hostPort}`,
          remedy: 'remove hostPort; expose the port through a Service',
        });
      }
    });
    const added: string[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add.map(String) : [];
    added.forEach((cap, i) => {
      const bare = cap.replace(/^CAP_/, '');
      if (!BASELINE_CAPS.has(bare)) {
        add({
          level: 'baseline',
          check: 'pss-capabilities',
          severity: 'high',
          path: `${cp}.capabilities.add[${i}]`,
          message: `container "${name}" adds capability ${cap}`,
          remedy: `remove ${cap} from capabilities.add`,
        });
      } else if (bare !== 'NET_BIND_SERVICE') {
        add({
          level: 'restricted',
          check: 'pss-capabilities',
          severity: 'medium',
          path: `${cp}.capabilities.add[${i}]`,
          message: `container "${name}" adds capability ${cap}; restricted allows only NET_BIND_SERVICE`,
          remedy: `remove ${cap} from capabilities.add`,
        });
      }
    });
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      add({
        level: 'baseline',
        check: 'pss-proc-mount',
        severity: 'high',
        path: `${cp}.procMount`,
        message: `container "${name}" uses procMount ${sc.procMount}`,
        remedy: 'remove procMount (Default)',
      });
    }
    if (sc.windowsOptions?.hostProcess === true) {
      add({
        level: 'baseline',
        check: 'pss-host-process',
        severity: 'high',
        path: `${cp}.windowsOptions.hostProcess`,
        message: `container "${name}" is a Windows HostProcess container`,
        remedy: 'remove windowsOptions.hostProcess',
      });
    }
    checkSeLinux(sc, cp, add);
    if (sc.seccompProfile?.type === 'Unconfined') {
      add({
        level: 'baseline',
        check: 'pss-seccomp',
        severity: 'high',
        path: `${cp}.seccompProfile.type`,
        message: `container "${name}" runs with seccomp Unconfined`,
        remedy: 'set seccompProfile.type: RuntimeDefault',
      });
    } else if (!podSeccompSet && !['RuntimeDefault', 'Localhost'].includes(sc.seccompProfile?.type)) {
      add({
        level: 'restricted',
        check: 'pss-seccomp',
        severity: 'medium',
        path: `${cp}.seccompProfile.type`,
        message: `container "${name}" has no seccomp profile (neither the pod nor the container sets one)`,
        remedy: 'set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod',
      });
    }
    if (sc.allowPrivilegeEscalation !== false) {
      add({
        level: 'restricted',
        check: 'pss-allow-privilege-escalation',
        severity: 'medium',
        path: `${cp}.allowPrivilegeEscalation`,
        message: `container "${name}" does not set allowPrivilegeEscalation: false`,
        remedy: 'set securityContext.allowPrivilegeEscalation: false',
      });
    }
    const drops: string[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop.map(String) : [];
    if (!drops.includes('ALL')) {
      add({
        level: 'restricted',
        check: 'pss-capabilities-drop-all',
        severity: 'medium',
        path: `${cp}.capabilities.drop`,
        message: `container "${name}" does not drop ALL capabilities`,
        remedy: 'set securityContext.capabilities.drop: ["ALL"]',
      });
    }
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && !podNonRoot)) {
      add({
        level: 'restricted',
        check: 'pss-run-as-non-root',
        severity: 'medium',
        path: `${cp}.runAsNonRoot`,
        message: `container "${name}" may run as root (runAsNonRoot is not true on the container or the pod)`,
        remedy: 'set securityContext.runAsNonRoot: true (pod or container) and a non-zero runAsUser',
      });
    }
    if (sc.runAsUser === 0) {
      add({
        level: 'restricted',
        check: 'pss-run-as-non-root',
        severity: 'medium',
        path: `${cp}.runAsUser`,
        message: `container "${name}" runs as user 0 (root)`,
        remedy: 'set runAsUser to a non-zero id',
      });
    }
  }
  return out;
}

function checkSeLinux(sc: Json, path: string, add: (v: PssViolation) => void): void {
  const se = sc.seLinuxOptions as Json | undefined;
  if (!se) return;
  if (!SELINUX_TYPES.has(String(se.type ?? '')) || se.user || se.role) {
    add({
      level: 'baseline',
      check: 'pss-selinux',
      severity: 'high',
      path: `${path}.seLinuxOptions`,
      message: 'custom SELinux user, role or type',
      remedy: 'leave seLinuxOptions.user and .role unset and use type container_t',
    });
  }
}

/** The strictest Pod Security Standards level the workload meets. */
export function pssLevel(violations: readonly PssViolation[]): 'restricted' | 'baseline' | 'privileged' {
  if (violations.some((v) => v.level === 'baseline')) return 'privileged';
  if (violations.some((v) => v.level === 'restricted')) return 'baseline';
  return 'restricted';
}
