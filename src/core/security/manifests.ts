// Manifest YAML (one or many documents, `kind: List` included, as `kubectl apply -f` and Helm's
// rendered output give them) read into Kubernetes objects. A document that is not a Kubernetes object
// is named by its position, so the message points at the problem.
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './objects.js';

export class ManifestError extends Error {}

export function parseManifestObjects(text: string, source: string): K8sObject[] {
  const out: K8sObject[] = [];
  // logLevel error: the yaml package would otherwise print warnings (e.g. unrendered {{ }} keys) to stderr.
  const docs = parseAllDocuments(text, { logLevel: 'error' });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      throw new ManifestError(`${source}: document ${index + 1}: ${doc.errors[0]!.message.split('\n')[0]}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ManifestError(`${source}: document ${index + 1} is not a Kubernetes object`);
    }
    const object = value as K8sObject & { items?: unknown };
    if (object.kind === 'List' && Array.isArray(object.items)) {
      for (const item of object.items as K8sObject[]) out.push(item);
      return;
    }
    if (typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') {
      throw new ManifestError(`${source}: document ${index + 1} has no apiVersion/kind`);
    }
    out.push(object);
  });
  return out;
}
