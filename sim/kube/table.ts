// Server-side printing: `kubectl get` asks for `as=Table;g=meta.k8s.io;v=v1` and prints the columns
// the server returns. The stand-in answers with the columns the real server prints for the kinds an
// operator reads most (pods, deployments, services, jobs) and NAME / AGE for everything else.
import type { KubeObject } from './store.js';

interface Column {
  name: string;
  type: string;
  format?: string;
  get: (o: KubeObject) => string | number;
}

function age(o: KubeObject, now: Date): string {
  const created = Date.parse(String(o.metadata.creationTimestamp ?? ''));
  if (!Number.isFinite(created)) return '<unknown>';
  const s = Math.max(0, Math.floor((now.getTime() - created) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

// biome-ignore lint/suspicious/noExplicitAny: objects are free-form JSON read by path
type Any = Record<string, any>;

function podColumns(): Column[] {
  return [
    {
      name: 'Ready',
      type: 'string',
      get: (o) => {
        const statuses = ((o.status as Any)?.containerStatuses ?? []) as Any[];
        const total = (((o.spec as Any)?.containers ?? []) as Any[]).length;
        return `${statuses.filter((c) => c.ready).length}/${total}`;
      },
    },
    {
      name: 'Status',
      type: 'string',
      get: (o) => {
        const statuses = ((o.status as Any)?.containerStatuses ?? []) as Any[];
        const waiting = statuses.find((c) => c.state?.waiting?.reason);
        return waiting ? String(waiting.state.waiting.reason) : String((o.status as Any)?.phase ?? 'Pending');
      },
    },
    {
      name: 'Restarts',
      type: 'integer',
      get: (o) =>
        (((o.status as Any)?.containerStatuses ?? []) as Any[]).reduce(
          (n, c) => n + (c.restartCount ?? 0),
          0,
        ),
    },
  ];
}

function columnsFor(kind: string): Column[] {
  switch (kind) {
    case 'Pod':
      return podColumns();
    case 'Deployment':
      return [
        {
          name: 'Ready',
          type: 'string',
          get: (o) => `${(o.status as Any)?.readyReplicas ?? 0}/${(o.spec as Any)?.replicas ?? 1}`,
        },
        { name: 'Up-to-date', type: 'integer', get: (o) => (o.status as Any)?.updatedReplicas ?? 0 },
        { name: 'Available', type: 'integer', get: (o) => (o.status as Any)?.availableReplicas ?? 0 },
      ];
    case 'Service':
      return [
        { name: 'Type', type: 'string', get: (o) => (o.spec as Any)?.type ?? 'ClusterIP' },
        { name: 'Cluster-IP', type: 'string', get: (o) => (o.spec as Any)?.clusterIP ?? '<none>' },
        {
          name: 'Port(s)',
          type: 'string',
          get: (o) =>
            (((o.spec as Any)?.ports ?? []) as Any[])
              .map((p) => `${p.port}/${p.protocol ?? 'TCP'}`)
              .join(',') || '<none>',
        },
      ];
    case 'Job':
      return [
        {
          name: 'Completions',
          type: 'string',
          get: (o) => `${(o.status as Any)?.succeeded ?? 0}/${(o.spec as Any)?.completions ?? 1}`,
        },
      ];
    default:
      return [];
  }
}

export function toTable(kind: string, objects: KubeObject[], resourceVersion: string, now: Date): unknown {
  const columns: Column[] = [
    { name: 'Name', type: 'string', format: 'name', get: (o) => o.metadata.name },
    ...columnsFor(kind),
    { name: 'Age', type: 'string', get: (o) => age(o, now) },
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: '',
      priority: 0,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.get(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
