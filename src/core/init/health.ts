// Health paths as the two platforms already state them: a Compose healthcheck that fetches a URL inside
// the container (`curl -f http://localhost:8000/health`, `wget -qO- …`, `fetch('http://…')`) and a
// Kubernetes readiness probe (`httpGet.path`). Only the path and port are taken: a query string or
// credentials in the command (tokens, `user:pass@`) never leave this module.
import type { Json, Workload } from '../security/objects.js';

export interface ProbedPath {
  path: string;
  /** The port inside the container the check calls, when it names one. */
  port?: number;
  scheme: 'http' | 'https';
  /** The check's URL carried a query string, left out (it may hold a token). */
  droppedQuery: boolean;
}

const URL_IN_COMMAND = /https?:\/\/[^\s'"`|;&)<>\\]+/;

/** The path a Compose healthcheck test probes, if it fetches an HTTP URL. */
export function healthcheckPath(test: readonly string[] | undefined): ProbedPath | undefined {
  if (!test || test.length === 0 || test[0] === 'NONE') return undefined;
  const words = test[0] === 'CMD' || test[0] === 'CMD-SHELL' ? test.slice(1) : test;
  const found = URL_IN_COMMAND.exec(words.join(' '))?.[0];
  if (!found) return undefined;
  let url: URL;
  try {
    url = new URL(found);
  } catch {
    return undefined;
  }
  return {
    path: url.pathname || '/',
    ...(url.port ? { port: Number(url.port) } : {}),
    scheme: url.protocol === 'https:' ? 'https' : 'http',
    droppedQuery: url.search !== '',
  };
}

export interface ProbePath extends ProbedPath {
  /** Which probe said it: readiness is preferred, then startup, then liveness. */
  probe: 'readiness' | 'startup' | 'liveness';
}

/** The HTTP path a workload's probes check, readiness first. */
export function probePath(workload: Workload | undefined): ProbePath | undefined {
  if (!workload) return undefined;
  for (const probe of ['readiness', 'startup', 'liveness'] as const) {
    for (const { container } of workload.containers) {
      const get = (container as Json)[`${probe}Probe`]?.httpGet as Json | undefined;
      if (!get || typeof get.path !== 'string') continue;
      const [path, query] = get.path.split('?');
      const port = Number(get.port);
      return {
        probe,
        path: path?.startsWith('/') ? path : `/${path ?? ''}`,
        ...(Number.isInteger(port) ? { port } : {}),
        scheme: String(get.scheme ?? 'HTTP').toUpperCase() === 'HTTPS' ? 'https' : 'http',
        droppedQuery: query !== undefined,
      };
    }
  }
  return undefined;
}
