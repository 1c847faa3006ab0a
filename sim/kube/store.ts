// The stand-in API server's object store: objects by resource type, namespace and name, one
// cluster-wide resourceVersion counter as etcd's revision is, and watchers that receive ADDED /
// MODIFIED / DELETED events in order. Hooks let other simulator parts act as controllers (the
// workload controller here, the k6-operator in the performance engineer's file) when an object of a
// kind is created, changed or deleted.
import { randomUUID } from 'node:crypto';
import { apiVersionOf, type ResourceType } from './resources.js';

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export type StoreHook = (event: WatchEvent) => void;

interface Watcher {
  type: ResourceType;
  namespace?: string;
  send: (event: WatchEvent) => void;
}

const keyOf = (t: ResourceType) => `${t.group}/${t.plural}`;

export class ObjectStore {
  private revision = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Set<Watcher>();
  private readonly hooks = new Map<string, StoreHook[]>();
  /** Container logs by `namespace/pod/container`; the first container's log answers when none is named. */
  private readonly logs = new Map<string, string>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  currentRevision(): string {
    return String(this.revision);
  }

  private bucket(t: ResourceType): Map<string, KubeObject> {
    const k = keyOf(t);
    let b = this.objects.get(k);
    if (!b) {
      b = new Map();
      this.objects.set(k, b);
    }
    return b;
  }

  private static id(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  list(t: ResourceType, namespace?: string): KubeObject[] {
    const all = [...this.bucket(t).values()];
    const scoped = namespace ? all.filter((o) => o.metadata.namespace === namespace) : all;
    return scoped.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(t).get(ObjectStore.id(t.namespaced ? namespace : undefined, name));
  }

  /** Where an object is kept: its namespace (`default` when a namespaced object names none) and its id. */
  private static place(t: ResourceType, object: KubeObject): { ns: string | undefined; id: string } {
    const ns = t.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
    return { ns, id: ObjectStore.id(ns, object.metadata.name) };
  }

  /**
   * The object as the server keeps it: a copy with the type's apiVersion and kind, its namespace (none
   * for a cluster-scoped type), the given identity and the next resourceVersion.
   */
  private stamp(
    t: ResourceType,
    object: KubeObject,
    ns: string | undefined,
    identity: Pick<KubeObject['metadata'], 'uid' | 'creationTimestamp'>,
  ): KubeObject {
    const stored: KubeObject = structuredClone(object);
    stored.apiVersion = apiVersionOf(t);
    stored.kind = t.kind;
    stored.metadata = {
      ...stored.metadata,
      ...(ns ? { namespace: ns } : {}),
      uid: identity.uid,
      resourceVersion: String(++this.revision),
      creationTimestamp: identity.creationTimestamp,
    };
    if (!ns) delete stored.metadata.namespace;
    return stored;
  }

  /** Stores a new object; returns undefined when one of that name already exists. */
  create(t: ResourceType, object: KubeObject): KubeObject | undefined {
    const { ns, id } = ObjectStore.place(t, object);
    const b = this.bucket(t);
    if (b.has(id)) return undefined;
    const stored = this.stamp(t, object, ns, {
      uid: object.metadata.uid ?? randomUUID(),
      creationTimestamp:
        object.metadata.creationTimestamp ??
        this.now()
          .toISOString()
          .replace(/\.\d+Z$/, 'Z'),
    });
    b.set(id, stored);
    this.emit(t, { type: 'ADDED', object: stored });
    return stored;
  }

  /** Replaces a stored object (update, patch, status); returns undefined when it does not exist. */
  replace(t: ResourceType, object: KubeObject): KubeObject | undefined {
    const { ns, id } = ObjectStore.place(t, object);
    const b = this.bucket(t);
    const old = b.get(id);
    if (!old) return undefined;
    // uid and creation time belong to the object, not to the request that changes it.
    const stored = this.stamp(t, object, ns, old.metadata);
    b.set(id, stored);
    this.emit(t, { type: 'MODIFIED', object: stored });
    return stored;
  }

  delete(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const id = ObjectStore.id(t.namespaced ? namespace : undefined, name);
    const b = this.bucket(t);
    const old = b.get(id);
    if (!old) return undefined;
    b.delete(id);
    const gone = { ...old, metadata: { ...old.metadata, resourceVersion: String(++this.revision) } };
    this.emit(t, { type: 'DELETED', object: gone });
    return gone;
  }

  setLog(namespace: string, pod: string, container: string, text: string): void {
    this.logs.set(`${namespace}/${pod}/${container}`, text);
  }

  getLog(namespace: string, pod: string, container: string): string | undefined {
    return this.logs.get(`${namespace}/${pod}/${container}`);
  }

  /** Registers a hook for every event on objects of `kind` (any group). */
  on(kind: string, hook: StoreHook): void {
    const list = this.hooks.get(kind) ?? [];
    list.push(hook);
    this.hooks.set(kind, list);
  }

  watch(t: ResourceType, namespace: string | undefined, send: (event: WatchEvent) => void): () => void {
    const w: Watcher = { type: t, send, ...(namespace ? { namespace } : {}) };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  private emit(t: ResourceType, event: WatchEvent): void {
    for (const w of this.watchers) {
      if (keyOf(w.type) !== keyOf(t)) continue;
      if (w.namespace && w.namespace !== event.object.metadata.namespace) continue;
      w.send(event);
    }
    // Hooks run after watchers so a watcher sees the triggering event before the objects it causes.
    for (const hook of this.hooks.get(t.kind) ?? []) hook(event);
  }
}
