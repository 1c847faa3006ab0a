// Access to a cluster through @kubernetes/client-node, from the kubeconfig and context the config
// names, with every failure classified: the suites turn "unreachable", "unauthorized" and
// "forbidden" into could-not-check evidence, never into a pass. Calls carry a deadline because the
// client has none and a black-holed API server would otherwise hang the run.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';

export interface KubeAccess {
  kc: KubeConfig;
  objects: KubernetesObjectApi;
  context: string;
  server: string;
  /** Per-call deadline in milliseconds. */
  timeoutMs: number;
}

export type KubeFailureKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'timeout'
  | 'invalid'
  | 'other';

export class KubeCallError extends Error {
  constructor(
    readonly kind: KubeFailureKind,
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

export interface KubeAccessOptions {
  /** kubeconfig path (absolute, or relative to `baseDir`); default $KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  context: string;
  baseDir: string;
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
}

export type AccessResult = { ok: true; access: KubeAccess } | { ok: false; reason: string };

export function openKubeAccess(o: KubeAccessOptions): AccessResult {
  const candidates = o.kubeconfig
    ? [isAbsolute(o.kubeconfig) ? o.kubeconfig : resolve(o.baseDir, o.kubeconfig)]
    : (o.env.KUBECONFIG ?? '')
        .split(':')
        .filter(Boolean)
        .concat(join(o.env.HOME ?? homedir(), '.kube', 'config'));
  const file = candidates.find((f) => existsSync(f));
  if (!file) return { ok: false, reason: `no kubeconfig found (looked at ${candidates.join(', ')})` };
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (error) {
    return {
      ok: false,
      reason: `kubeconfig ${file} cannot be read: ${(error as Error).message.split('\n')[0]}`,
    };
  }
  if (!kc.getContexts().some((c) => c.name === o.context)) {
    const known = kc.getContexts().map((c) => c.name);
    return {
      ok: false,
      reason: `kubeconfig ${file} has no context "${o.context}"${known.length ? `; it has: ${known.join(', ')}` : ''}`,
    };
  }
  kc.setCurrentContext(o.context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) return { ok: false, reason: `context "${o.context}" in ${file} names no cluster` };
  return {
    ok: true,
    access: {
      kc,
      objects: KubernetesObjectApi.makeApiClient(kc),
      context: o.context,
      server: cluster.server,
      timeoutMs: o.timeoutMs ?? 15_000,
    },
  };
}

function statusMessage(body: unknown): string | undefined {
  try {
    const parsed = typeof body === 'string' ? JSON.parse(body) : body;
    return typeof parsed?.message === 'string' ? parsed.message : undefined;
  } catch {
    return typeof body === 'string' && body.length < 300 ? body : undefined;
  }
}

export function classifyKubeError(error: unknown): KubeCallError {
  if (error instanceof KubeCallError) return error;
  const e = error as { code?: unknown; body?: unknown; message?: string; cause?: { code?: string } };
  if (typeof e.code === 'number') {
    const message = statusMessage(e.body) ?? `HTTP ${e.code}`;
    const kind: KubeFailureKind =
      e.code === 401
        ? 'unauthorized'
        : e.code === 403
          ? 'forbidden'
          : e.code === 404
            ? 'not-found'
            : e.code === 422 || e.code === 400
              ? 'invalid'
              : 'other';
    return new KubeCallError(kind, message, e.code);
  }
  const code = String(e.cause?.code ?? e.code ?? '');
  const text = e.message ?? String(error);
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EAI_AGAIN|socket hang up/.test(`${code} ${text}`)) {
    return new KubeCallError(
      'unreachable',
      `the API server cannot be reached (${code || text.split('\n')[0]})`,
    );
  }
  if (/certificate|self.signed|CERT_|UNABLE_TO_VERIFY/i.test(`${code} ${text}`)) {
    return new KubeCallError('unreachable', `TLS to the API server failed (${code || text.split('\n')[0]})`);
  }
  return new KubeCallError('other', text.split('\n')[0] ?? 'unknown error');
}

/** Runs one API call with the access's deadline; rejects with a classified KubeCallError. */
export async function call<T>(access: KubeAccess, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new KubeCallError(
            'timeout',
            `${what}: no answer from the API server within ${access.timeoutMs} ms`,
          ),
        ),
      access.timeoutMs,
    );
  });
  try {
    return await Promise.race([fn(), deadline]);
  } catch (error) {
    const e = classifyKubeError(error);
    throw new KubeCallError(e.kind, `${what}: ${e.message}`, e.code);
  } finally {
    clearTimeout(timer);
  }
}
