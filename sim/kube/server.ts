// The stand-in Kubernetes API server: real HTTP, the real paths (/api/v1/..., /apis/GROUP/VERSION/...,
// namespaced and cluster-scoped), discovery (/api, /apis, /version), list with label and field
// selectors, get, create, update, patch, delete (with garbage collection of owned objects), watch
// streams, pods/{name}/log, and Status errors shaped as the real server's, so @kubernetes/client-node
// and kubectl talk to it unchanged. Bearer-token auth and per-verb denials simulate RBAC answers
// (401 / 403 Forbidden) for the "could not check" paths of the suites.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import type { KubeCluster } from './cluster.js';
import { applyPatch, PatchError } from './patch.js';
import { apiVersionOf, RESOURCE_VERBS, type ResourceType } from './resources.js';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors.js';
import type { KubeObject } from './store.js';
import { toTable } from './table.js';

export interface Denial {
  verb: string;
  /** Resource plural, such as `clusterrolebindings`; `*` for every resource. */
  resource: string;
  namespace?: string;
}

export interface KubeApiServerOptions {
  cluster: KubeCluster;
  host?: string;
  port?: number;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** The user the token stands for, named in Forbidden messages. */
  user?: string;
  /** Requests refused with 403 Forbidden, as RBAC would. */
  deny?: Denial[];
  gitVersion?: string;
  /** Serve HTTPS with this key and certificate (PEM), as a real API server does. */
  tls?: { key: string; cert: string };
}

export interface RunningKubeApiServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const MAX_BODY = 8 * 1024 * 1024;

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function statusBody(e: HttpError): unknown {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: e.message,
    reason: e.reason,
    ...(e.details ? { details: e.details } : {}),
    code: e.code,
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'RequestEntityTooLarge', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  const type = String(req.headers['content-type'] ?? 'application/json');
  try {
    return type.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'BadRequest', `could not decode the request body: ${(error as Error).message}`);
  }
}

/** What a resource path names once parsed. */
interface Target {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function startKubeApiServer(options: KubeApiServerOptions): Promise<RunningKubeApiServer> {
  const { cluster } = options;
  const user = options.user ?? 'system:serviceaccount:cutover:cutover';
  const gitVersion = options.gitVersion ?? 'v1.28.15';

  function authorize(req: IncomingMessage, verb: string, t: Target): void {
    if (options.token !== undefined) {
      const auth = String(req.headers.authorization ?? '');
      if (auth !== `Bearer ${options.token}`) throw new HttpError(401, 'Unauthorized', 'Unauthorized');
    }
    const denied = (options.deny ?? []).some(
      (d) =>
        (d.verb === verb || d.verb === '*') &&
        (d.resource === t.type.plural || d.resource === '*') &&
        (!d.namespace || d.namespace === t.namespace),
    );
    if (denied) {
      const scope = t.namespace ? ` in the namespace "${t.namespace}"` : ' at the cluster scope';
      throw new HttpError(
        403,
        'Forbidden',
        `${t.type.plural}${t.name ? ` "${t.name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${t.type.plural}" in API group "${t.type.group}"${scope}`,
        { ...(t.name ? { name: t.name } : {}), group: t.type.group, kind: t.type.plural },
      );
    }
  }

  function discovery(path: string): unknown | undefined {
    if (path === '/version') {
      return {
        major: '1',
        minor: gitVersion.split('.')[1] ?? '28',
        gitVersion,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2024-10-22T20:26:32Z',
        goVersion: 'go1.22.8',
        compiler: 'gc',
        platform: 'linux/amd64',
      };
    }
    if (path === '/api') {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: 'cutover-sim:6443' }],
      };
    }
    if (path === '/apis') {
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...cluster.catalog.groups()].map(([name, versions]) => ({
          name,
          versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
        })),
      };
    }
    const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (gv) {
      const group = gv[2] ?? '';
      const version = gv[1] ?? gv[3]!;
      const types = cluster.catalog.all().filter((t) => t.group === group && t.version === version);
      if (types.length === 0) return undefined;
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources: types.flatMap((t) => [
          {
            name: t.plural,
            singularName: t.singular,
            namespaced: t.namespaced,
            kind: t.kind,
            verbs: RESOURCE_VERBS,
            ...(t.shortNames ? { shortNames: t.shortNames } : {}),
          },
          ...(t.subresources ?? []).map((s) => ({
            name: `${t.plural}/${s}`,
            singularName: '',
            namespaced: t.namespaced,
            kind: s === 'log' ? 'Pod' : t.kind,
            verbs: s === 'log' ? ['get'] : ['get', 'patch', 'update'],
          })),
        ]),
      };
    }
    return undefined;
  }

  function parseTarget(path: string): Target | undefined {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/watch)?\/(.+)$/.exec(path);
    if (!m) return undefined;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    const parts = m[4]!.split('/').filter(Boolean).map(decodeURIComponent);
    let namespace: string | undefined;
    if (parts[0] === 'namespaces' && parts.length >= 3) {
      namespace = parts[1];
      parts.splice(0, 2);
    }
    const type = cluster.catalog.byPlural(group, version, parts[0]!);
    if (!type) {
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource', {});
    }
    return {
      type,
      ...(namespace ? { namespace } : {}),
      ...(parts[1] ? { name: parts[1] } : {}),
      ...(parts[2] ? { subresource: parts[2] } : {}),
    };
  }

  const notFound = (t: Target): HttpError =>
    new HttpError(
      404,
      'NotFound',
      `${t.type.plural}${t.type.group ? `.${t.type.group}` : ''} "${t.name}" not found`,
      {
        name: t.name,
        group: t.type.group,
        kind: t.type.plural,
      },
    );

  function listObjects(t: Target, query: URLSearchParams): KubeObject[] {
    let items = cluster.store.list(t.type, t.type.namespaced ? t.namespace : undefined);
    try {
      const ls = query.get('labelSelector');
      if (ls) {
        const reqs = parseLabelSelector(ls);
        items = items.filter((o) => matchesLabels(reqs, o.metadata.labels));
      }
      const fs = query.get('fieldSelector');
      if (fs) {
        const reqs = parseFieldSelector(fs);
        items = items.filter((o) => matchesFields(reqs, o));
      }
    } catch (error) {
      if (error instanceof SelectorError) throw new HttpError(400, 'BadRequest', error.message);
      throw error;
    }
    return items;
  }

  function wantsTable(req: IncomingMessage): boolean {
    return /as=Table/.test(String(req.headers.accept ?? ''));
  }

  function watch(req: IncomingMessage, res: ServerResponse, t: Target, query: URLSearchParams): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // Clients wait for the response headers before they consider the watch open.
    res.flushHeaders();
    const filter = (o: KubeObject) =>
      (!t.name || o.metadata.name === t.name) &&
      (!query.get('labelSelector') ||
        matchesLabels(parseLabelSelector(query.get('labelSelector')!), o.metadata.labels)) &&
      (!query.get('fieldSelector') || matchesFields(parseFieldSelector(query.get('fieldSelector')!), o));
    const rv = query.get('resourceVersion');
    // Without a resourceVersion (or "0") a watch starts with the current state as ADDED events.
    if (!rv || rv === '0') {
      for (const o of cluster.store.list(t.type, t.type.namespaced ? t.namespace : undefined)) {
        if (filter(o)) res.write(`${JSON.stringify({ type: 'ADDED', object: o })}\n`);
      }
    }
    const stop = cluster.store.watch(t.type, t.type.namespaced ? t.namespace : undefined, (event) => {
      if (filter(event.object)) res.write(`${JSON.stringify(event)}\n`);
    });
    const timeout = Math.min(Number(query.get('timeoutSeconds') ?? 1800) || 1800, 3600);
    const timer = setTimeout(() => res.end(), timeout * 1000);
    const close = () => {
      clearTimeout(timer);
      stop();
    };
    req.on('close', close);
    res.on('close', close);
  }

  function podLog(t: Target, query: URLSearchParams): string {
    const pod = cluster.store.get(t.type, t.namespace, t.name!);
    if (!pod) throw notFound(t);
    const containers = (((pod.spec as Record<string, unknown>)?.containers ?? []) as { name: string }[]).map(
      (c) => c.name,
    );
    const container = query.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
    if (!container) {
      throw new HttpError(
        400,
        'BadRequest',
        `a container name must be specified for pod ${t.name}, choose one of: [${containers.join(' ')}]`,
      );
    }
    if (!containers.includes(container)) {
      throw new HttpError(400, 'BadRequest', `container ${container} is not valid for pod ${t.name}`);
    }
    let text = cluster.store.getLog(t.namespace ?? 'default', t.name!, container) ?? '';
    const tail = query.get('tailLines');
    if (tail !== null) {
      const lines = text.split('\n');
      const trailing = lines.at(-1) === '' ? lines.pop() : undefined;
      text = lines.slice(-Number(tail)).join('\n') + (trailing === '' ? '\n' : '');
    }
    return text;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const query = url.searchParams;

    if (method === 'GET') {
      if (path === '/healthz' || path === '/readyz' || path === '/livez') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      const d = discovery(path);
      if (d !== undefined) {
        if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
          throw new HttpError(401, 'Unauthorized', 'Unauthorized');
        }
        send(res, 200, d);
        return;
      }
    }
    const t = parseTarget(path);
    if (!t) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    const isWatch = path.includes('/watch/') || query.get('watch') === 'true' || query.get('watch') === '1';
    const namespaceOf = (body: KubeObject | undefined) =>
      t.namespace ?? body?.metadata?.namespace ?? 'default';

    if (t.subresource === 'log') {
      authorize(req, 'get', { ...t, type: { ...t.type, plural: 'pods/log' } });
      const text = podLog(t, query);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(text);
      return;
    }
    switch (method) {
      case 'GET': {
        if (isWatch) {
          authorize(req, 'watch', t);
          watch(req, res, t, query);
          return;
        }
        if (!t.name) {
          authorize(req, 'list', t);
          const items = listObjects(t, query);
          const rv = cluster.store.currentRevision();
          if (wantsTable(req)) {
            send(res, 200, toTable(t.type.kind, items, rv, cluster.now()));
            return;
          }
          send(res, 200, {
            kind: `${t.type.kind}List`,
            apiVersion: apiVersionOf(t.type),
            metadata: { resourceVersion: rv },
            items,
          });
          return;
        }
        authorize(req, 'get', t);
        const o = cluster.store.get(t.type, t.namespace, t.name);
        if (!o) throw notFound(t);
        if (wantsTable(req))
          send(res, 200, toTable(t.type.kind, [o], cluster.store.currentRevision(), cluster.now()));
        else send(res, 200, o);
        return;
      }
      case 'POST': {
        authorize(req, 'create', t);
        const body = (await readBody(req)) as KubeObject | undefined;
        if (!body || typeof body !== 'object' || !body.metadata) {
          throw new HttpError(400, 'BadRequest', 'the request body must be an object with metadata');
        }
        if (!body.metadata.name && typeof body.metadata.generateName === 'string') {
          body.metadata.name = `${body.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
        }
        if (!body.metadata.name)
          throw new HttpError(422, 'Invalid', `${t.type.kind} "": metadata.name: Required value`);
        if (t.type.namespaced) body.metadata.namespace = namespaceOf(body);
        if (t.type.kind === 'Secret') foldStringData(body);
        if (query.get('dryRun') === 'All') {
          send(res, 201, body);
          return;
        }
        const created = cluster.store.create(t.type, body);
        if (!created) {
          throw new HttpError(
            409,
            'AlreadyExists',
            `${t.type.plural} "${body.metadata.name}" already exists`,
            {
              name: body.metadata.name,
              group: t.type.group,
              kind: t.type.plural,
            },
          );
        }
        send(res, 201, created);
        return;
      }
      case 'PUT':
      case 'PATCH': {
        if (!t.name) throw new HttpError(405, 'MethodNotAllowed', `${method} needs a resource name`);
        authorize(req, method === 'PUT' ? 'update' : 'patch', t);
        const body = await readBody(req);
        const existing = cluster.store.get(t.type, t.namespace, t.name);
        const contentType = String(req.headers['content-type'] ?? 'application/json');
        const isApply = contentType.startsWith('application/apply-patch');
        if (!existing && !isApply) throw notFound(t);
        let next: KubeObject;
        try {
          next = (
            method === 'PUT'
              ? body
              : applyPatch(existing ?? { metadata: { name: t.name } }, body, contentType)
          ) as KubeObject;
        } catch (error) {
          if (error instanceof PatchError) throw new HttpError(422, 'Invalid', error.message);
          throw error;
        }
        if (!next || typeof next !== 'object' || !next.metadata) {
          throw new HttpError(400, 'BadRequest', 'the result is not an object with metadata');
        }
        next.metadata.name = t.name;
        if (t.type.namespaced) next.metadata.namespace = t.namespace ?? 'default';
        if (t.subresource === 'status' && existing) next = { ...existing, status: next.status };
        if (t.type.kind === 'Secret') foldStringData(next);
        const stored = existing ? cluster.store.replace(t.type, next) : cluster.store.create(t.type, next);
        send(res, existing ? 200 : 201, stored);
        return;
      }
      case 'DELETE': {
        authorize(req, 'delete', t);
        if (!t.name) {
          const items = listObjects(t, query);
          for (const o of items) cluster.deleteCascade(t.type, o.metadata.namespace, o.metadata.name);
          send(res, 200, {
            kind: `${t.type.kind}List`,
            apiVersion: apiVersionOf(t.type),
            metadata: {},
            items,
          });
          return;
        }
        const gone = cluster.deleteCascade(t.type, t.namespace, t.name);
        if (!gone) throw notFound(t);
        send(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name: t.name, group: t.type.group, kind: t.type.plural, uid: gone.metadata.uid },
        });
        return;
      }
      default:
        throw new HttpError(405, 'MethodNotAllowed', `method ${method} is not supported`);
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      const e =
        error instanceof HttpError
          ? error
          : new HttpError(500, 'InternalError', (error as Error).message ?? 'error');
      if (!res.headersSent) send(res, e.code, statusBody(e));
      else res.end();
    });
  };
  const server: Server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host ?? '127.0.0.1';
      resolve({
        url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
        server,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * As the real API server writes a Secret: `stringData` is merged into `data` (base64), overwriting, and
 * is never stored or read back (the Secret API reference, "stringData … write-only").
 */
function foldStringData(secret: KubeObject): void {
  const o = secret as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  if (!o.stringData) return;
  o.data = { ...(o.data ?? {}) };
  for (const [k, v] of Object.entries(o.stringData))
    o.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  delete o.stringData;
}
