// PATCH bodies as the API server accepts them: JSON merge patch (RFC 7386), strategic merge patch
// (approximated as a merge patch whose lists of named items merge by `name`, which is what clients
// send for containers, env and ports), and JSON patch (RFC 6902). Server-side apply is treated as a
// strategic merge of the applied configuration.

export class PatchError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json, strategic = false): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (
      strategic &&
      Array.isArray(v) &&
      Array.isArray(out[k]) &&
      v.every((i) => isObject(i) && 'name' in i)
    ) {
      const merged = [...(out[k] as Json[])];
      for (const item of v as Record<string, Json>[]) {
        const at = merged.findIndex((m) => isObject(m) && m.name === item.name);
        if (at >= 0) merged[at] = mergePatch(merged[at]!, item, true);
        else merged.push(item);
      }
      out[k] = merged;
    } else out[k] = mergePatch(out[k] ?? null, v, strategic);
  }
  return out;
}

const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

export function jsonPatch(target: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be an array of operations');
  let doc = structuredClone(target);
  for (const op of ops as { op?: string; path?: string; value?: Json; from?: string }[]) {
    if (typeof op.path !== 'string') throw new PatchError('a JSON patch operation needs a path');
    const parts = op.path.split('/').slice(1).map(unescapePointer);
    if (parts.length === 0) {
      if (op.op === 'replace' || op.op === 'add') doc = structuredClone(op.value ?? null);
      continue;
    }
    const last = parts.pop()!;
    let parent: Json = doc;
    for (const p of parts) {
      const next: Json | undefined = Array.isArray(parent)
        ? parent[Number(p)]
        : isObject(parent)
          ? parent[p]
          : undefined;
      if (next === undefined) throw new PatchError(`path ${op.path} does not exist`);
      parent = next;
    }
    const set = (value: Json, insert: boolean) => {
      if (Array.isArray(parent)) {
        const i = last === '-' ? parent.length : Number(last);
        if (insert) parent.splice(i, 0, value);
        else parent[i] = value;
      } else if (isObject(parent)) parent[last] = value;
    };
    switch (op.op) {
      case 'add':
        set(structuredClone(op.value ?? null), true);
        break;
      case 'replace':
        set(structuredClone(op.value ?? null), false);
        break;
      case 'remove':
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else if (isObject(parent)) delete parent[last];
        break;
      case 'test': {
        const actual = Array.isArray(parent)
          ? parent[Number(last)]
          : isObject(parent)
            ? parent[last]
            : undefined;
        if (JSON.stringify(actual) !== JSON.stringify(op.value))
          throw new PatchError(`test failed at ${op.path}`);
        break;
      }
      default:
        throw new PatchError(`unsupported JSON patch operation "${String(op.op)}"`);
    }
  }
  return doc;
}

/** Applies a PATCH body of the given content type to a stored object. */
export function applyPatch(target: unknown, body: unknown, contentType: string): unknown {
  const type = contentType.split(';')[0]!.trim();
  switch (type) {
    case 'application/json-patch+json':
      return jsonPatch(target as Json, body);
    case 'application/merge-patch+json':
      return mergePatch(target as Json, body as Json, false);
    case 'application/strategic-merge-patch+json':
    case 'application/apply-patch+yaml':
      return mergePatch(target as Json, body as Json, true);
    default:
      throw new PatchError(`unsupported patch content type "${type}"`);
  }
}
