// A kubeconfig for the stand-in API server, in the format kubectl and @kubernetes/client-node read
// (clusters / users / contexts, a current-context), so both find the server the way they would find
// a real cluster.

import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  context: string;
  /** Bearer token; the stand-in checks it when started with one. */
  token?: string;
  namespace?: string;
  /** PEM of the CA that signed the server's certificate (HTTPS servers). */
  caCert?: string;
}

// @kubernetes/client-node 1.x refuses a plain-http server unless the cluster entry says
// insecure-skip-tls-verify; the stand-in serves http by default, so the entry says so for http only.
function clusterEntry(o: KubeconfigOptions): Record<string, unknown> {
  if (o.server.startsWith('http://')) return { server: o.server, 'insecure-skip-tls-verify': true };
  return {
    server: o.server,
    ...(o.caCert ? { 'certificate-authority-data': Buffer.from(o.caCert).toString('base64') } : {}),
  };
}

export function kubeconfigYaml(o: KubeconfigOptions): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: o.context, cluster: clusterEntry(o) }],
    users: [{ name: `${o.context}-user`, user: o.token ? { token: o.token } : {} }],
    contexts: [
      {
        name: o.context,
        context: {
          cluster: o.context,
          user: `${o.context}-user`,
          ...(o.namespace ? { namespace: o.namespace } : {}),
        },
      },
    ],
    'current-context': o.context,
  });
}

/** Writes the kubeconfig file and returns its path. */
export function writeKubeconfig(file: string, o: KubeconfigOptions): string {
  // Through a temporary file and a rename: a client reading it meanwhile sees all of it or none.
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, kubeconfigYaml(o));
  renameSync(tmp, file);
  return file;
}
