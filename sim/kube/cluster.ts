// A simulated cluster: the resource catalog, the object store and the controllers, behind the few
// operations the rest of the simulator needs (apply manifests, react to a kind, set a pod's log).
// The HTTP server (server.ts) serves it; extensions such as a k6-operator stand-in register a hook:
//
//   cluster.on('TestRun', (event) => { if (event.type === 'ADDED') cluster.apply({ ...a Job... }) })

import { ManifestError, parseManifestObjects as parseCoreManifests } from 'cutover';
import { currentLogFile } from './pod-logs.js';
import { BUILTIN_RESOURCES, ResourceCatalog, type ResourceType } from './resources.js';
import { type KubeObject, ObjectStore, type WatchEvent } from './store.js';

export type ClusterHook = (event: WatchEvent, cluster: KubeCluster) => void;

export { ManifestError };

export class KubeCluster {
  readonly catalog: ResourceCatalog;
  readonly store: ObjectStore;

  constructor(
    readonly now: () => Date = () => new Date(),
    types: readonly ResourceType[] = BUILTIN_RESOURCES,
  ) {
    this.catalog = new ResourceCatalog(types);
    this.store = new ObjectStore(now);
  }

  typeOf(object: { apiVersion?: string; kind?: string }): ResourceType | undefined {
    if (!object.apiVersion || !object.kind) return undefined;
    return this.catalog.byKind(object.apiVersion, object.kind);
  }

  /** Creates the object, or replaces it when one of that name exists (kubectl apply, roughly). */
  apply(object: KubeObject): KubeObject {
    const t = this.typeOf(object);
    if (!t) {
      throw new ManifestError(
        `no resource ${object.apiVersion ?? '?'}/${object.kind ?? '?'} on this server` +
          (object.kind === 'PodSecurityPolicy' ? ' (PodSecurityPolicy was removed in Kubernetes 1.25)' : ''),
      );
    }
    if (!object.metadata?.name) throw new ManifestError(`${object.kind} without metadata.name`);
    const existing = this.store.get(t, object.metadata.namespace ?? 'default', object.metadata.name);
    if (existing)
      return this.store.replace(t, { ...object, metadata: { ...existing.metadata, ...object.metadata } })!;
    return this.store.create(t, object)!;
  }

  /** Applies every document of a multi-document YAML text (and the items of `kind: List`). */
  applyYaml(text: string, source = 'manifest'): KubeObject[] {
    const applied: KubeObject[] = [];
    for (const object of parseManifestObjects(text, source)) applied.push(this.apply(object));
    return applied;
  }

  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const t = this.catalog.all().find((r) => r.kind === kind);
    return t ? this.store.get(t, namespace, name) : undefined;
  }

  list(kind: string, namespace?: string): KubeObject[] {
    const t = this.catalog.all().find((r) => r.kind === kind);
    return t ? this.store.list(t, namespace) : [];
  }

  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const t = this.catalog.all().find((r) => r.kind === kind);
    return t ? this.deleteCascade(t, namespace, name) : undefined;
  }

  /** Deletes an object and, as the garbage collector would, everything it owns. */
  deleteCascade(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const gone = this.store.delete(t, namespace, name);
    if (!gone) return undefined;
    const uid = gone.metadata.uid;
    for (const other of this.catalog.all()) {
      for (const o of this.store.list(other)) {
        const owners = (o.metadata.ownerReferences as { uid?: string }[] | undefined) ?? [];
        if (owners.some((r) => r.uid === uid))
          this.deleteCascade(other, o.metadata.namespace, o.metadata.name);
      }
    }
    return gone;
  }

  /** A container's whole output; the log API serves what the kubelet would still hold (pod-logs.ts). */
  setPodLog(namespace: string, pod: string, container: string, text: string): void {
    this.store.setLog(namespace, pod, container, currentLogFile(text));
  }

  /** Reacts to every ADDED / MODIFIED / DELETED event on objects of `kind`. */
  on(kind: string, hook: ClusterHook): void {
    this.store.on(kind, (event) => hook(event, this));
  }
}

/** Parses manifest YAML into objects the store accepts (see src/core/security/manifests.ts). */
export function parseManifestObjects(text: string, source: string): KubeObject[] {
  return parseCoreManifests(text, source) as KubeObject[];
}
