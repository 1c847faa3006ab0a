// Walks the zod schema to list the keys allowed at a path, so an unknown key can get a "did you mean".
import type { core } from 'zod';
import { configSchema } from './schema.js';

// zod's internal definitions are not part of its typed public surface; this walker reads only `def.type`
// and the child schema fields, which are stable across zod 4 releases.
type AnyDef = {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  valueType?: unknown;
  options?: unknown[];
  element?: unknown;
  in?: unknown;
};

function defOf(schema: unknown): AnyDef {
  return (schema as { _zod: { def: AnyDef } })._zod.def;
}

function unwrap(schema: unknown): unknown[] {
  const def = defOf(schema);
  if (
    def.type === 'default' ||
    def.type === 'optional' ||
    def.type === 'nullable' ||
    def.type === 'prefault'
  ) {
    return unwrap(def.innerType);
  }
  if (def.type === 'pipe') return unwrap(def.in);
  if (def.type === 'union') return (def.options ?? []).flatMap(unwrap);
  return [schema];
}

function child(schema: unknown, key: PropertyKey): unknown[] {
  return unwrap(schema).flatMap((s) => {
    const def = defOf(s);
    if (def.type === 'object' && def.shape && typeof key === 'string' && key in def.shape)
      return unwrap(def.shape[key]);
    if (def.type === 'record' && def.valueType) return unwrap(def.valueType);
    if (def.type === 'array' && def.element) return unwrap(def.element);
    return [];
  });
}

export function knownKeysAt(path: readonly PropertyKey[], root: core.$ZodType = configSchema): string[] {
  let level: unknown[] = unwrap(root);
  for (const key of path) level = level.flatMap((s) => child(s, key));
  const keys = new Set<string>();
  for (const s of level) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape) for (const k of Object.keys(def.shape)) keys.add(k);
  }
  return [...keys];
}
