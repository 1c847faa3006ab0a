// kube-bench in the simulated cluster: when a kube-bench Job's pod appears, its log is what
// `kube-bench run --targets … --benchmark cis-1.10 --json` prints (the v0.6.2+ `{Controls, Totals}`
// format, `detected_version: "none"` because --benchmark is given), for a cluster hardened as the
// plan asks: every scored check passes; manual checks WARN as they do on any real cluster.
import type { KubeCluster } from './cluster.js';

interface SimCheck {
  id: string;
  text: string;
  audit: string;
  scored: boolean;
}

const NODE: SimCheck[] = [
  {
    id: '4.1.1',
    text: 'Ensure that the kubelet service file permissions are set to 600 or more restrictive (Automated)',
    audit:
      "/bin/sh -c 'if test -e /etc/systemd/system/kubelet.service.d/10-kubeadm.conf; then stat -c permissions=%a /etc/systemd/system/kubelet.service.d/10-kubeadm.conf; fi'",
    scored: true,
  },
  {
    id: '4.1.9',
    text: 'If the kubelet config.yaml configuration file is being used validate permissions set to 600 or more restrictive (Automated)',
    audit:
      "/bin/sh -c 'if test -e /var/lib/kubelet/config.yaml; then stat -c permissions=%a /var/lib/kubelet/config.yaml; fi'",
    scored: true,
  },
  {
    id: '4.2.1',
    text: 'Ensure that the --anonymous-auth argument is set to false (Automated)',
    audit: '/bin/ps -fC kubelet',
    scored: true,
  },
  {
    id: '4.2.2',
    text: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow (Automated)',
    audit: '/bin/ps -fC kubelet',
    scored: true,
  },
  {
    id: '4.2.3',
    text: 'Ensure that the --client-ca-file argument is set as appropriate (Automated)',
    audit: '/bin/ps -fC kubelet',
    scored: true,
  },
  {
    id: '4.2.4',
    text: 'Verify that the --read-only-port argument is set to 0 (Manual)',
    audit: '/bin/ps -fC kubelet',
    scored: false,
  },
];
const MASTER: SimCheck[] = [
  {
    id: '1.1.1',
    text: 'Ensure that the API server pod specification file permissions are set to 600 or more restrictive (Automated)',
    audit:
      "/bin/sh -c 'if test -e /etc/kubernetes/manifests/kube-apiserver.yaml; then stat -c permissions=%a /etc/kubernetes/manifests/kube-apiserver.yaml; fi'",
    scored: true,
  },
  {
    id: '1.2.1',
    text: 'Ensure that the --anonymous-auth argument is set to false (Manual)',
    audit: '/bin/ps -ef | grep kube-apiserver | grep -v grep',
    scored: false,
  },
  {
    id: '1.2.5',
    text: 'Ensure that the --kubelet-certificate-authority argument is set as appropriate (Automated)',
    audit: '/bin/ps -ef | grep kube-apiserver | grep -v grep',
    scored: true,
  },
  {
    id: '1.2.16',
    text: 'Ensure that the --profiling argument is set to false (Automated)',
    audit: '/bin/ps -ef | grep kube-apiserver | grep -v grep',
    scored: true,
  },
  {
    id: '2.1',
    text: 'Ensure that the --cert-file and --key-file arguments are set as appropriate (Automated)',
    audit: '/bin/ps -ef | /bin/grep etcd | /bin/grep -v grep',
    scored: true,
  },
];

function control(id: string, text: string, nodeType: string, checks: SimCheck[]) {
  const results = checks.map((c) => ({
    test_number: c.id,
    test_desc: c.text,
    audit: c.audit,
    AuditEnv: '',
    AuditConfig: '',
    type: c.scored ? '' : 'manual',
    remediation: 'See the CIS Kubernetes Benchmark v1.10.',
    test_info: ['See the CIS Kubernetes Benchmark v1.10.'],
    status: c.scored ? 'PASS' : 'WARN',
    actual_value: c.scored ? (c.audit.includes('stat') ? 'permissions=600' : '--anonymous-auth=false') : '',
    scored: c.scored,
    IsMultiple: false,
    expected_result: c.audit.includes('stat')
      ? 'permissions has permissions 600, expected 600 or more restrictive'
      : "'--anonymous-auth' is equal to 'false'",
    ...(c.scored ? {} : { reason: 'Test marked as a manual test' }),
  }));
  const pass = results.filter((r) => r.status === 'PASS').length;
  const warn = results.length - pass;
  return {
    id,
    version: 'cis-1.10',
    detected_version: 'none',
    text,
    node_type: nodeType,
    tests: [{ section: `${id}.1`, type: '', pass, fail: 0, warn, info: 0, desc: text, results }],
    total_pass: pass,
    total_fail: 0,
    total_warn: warn,
    total_info: 0,
  };
}

export function kubeBenchOutput(variant: 'master' | 'node'): string {
  const controls =
    variant === 'node'
      ? [control('4', 'Worker Node Security Configuration', 'node', NODE)]
      : [control('1', 'Control Plane Security Configuration', 'master', MASTER)];
  const sum = (k: 'total_pass' | 'total_fail' | 'total_warn' | 'total_info') =>
    controls.reduce((n, c) => n + c[k], 0);
  return `${JSON.stringify({
    Controls: controls,
    Totals: {
      total_pass: sum('total_pass'),
      total_fail: sum('total_fail'),
      total_warn: sum('total_warn'),
      total_info: sum('total_info'),
    },
  })}\n`;
}

export function kubeBenchSim(cluster: KubeCluster): void {
  cluster.on('Pod', (event) => {
    const pod = event.object;
    if (event.type !== 'ADDED' || pod.metadata.labels?.['app.kubernetes.io/name'] !== 'kube-bench') return;
    const containers =
      (pod.spec as { containers?: { name: string; command?: string[] }[] })?.containers ?? [];
    const c = containers.find((x) => x.name === 'kube-bench');
    if (!c) return;
    const targets = c.command?.[(c.command?.indexOf('--targets') ?? -2) + 1] ?? '';
    cluster.setPodLog(
      pod.metadata.namespace ?? 'default',
      pod.metadata.name,
      c.name,
      kubeBenchOutput(targets.includes('node') ? 'node' : 'master'),
    );
  });
}
