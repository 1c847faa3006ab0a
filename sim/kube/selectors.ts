// Label and field selectors as the API server reads them from `?labelSelector=` and
// `?fieldSelector=`: equality (`a=b`, `a==b`, `a!=b`), set-based (`a in (x,y)`, `a notin (x)`),
// existence (`a`, `!a`). Field selectors are equality-only on dotted paths, as on the real server.

type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter(Boolean);
}

export function parseLabelSelector(text: string): Requirement[] {
  return splitTerms(text).map((term) => {
    const set = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3]!
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      return { key: set[1]!, op: set[2] as 'in' | 'notin', values };
    }
    const eq = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(term);
    if (eq) return { key: eq[1]!, op: eq[2] === '!=' ? 'neq' : 'eq', value: eq[3]! };
    const not = /^!\s*([^\s!=]+)$/.exec(term);
    if (not) return { key: not[1]!, op: 'notexists' };
    if (/^[^\s!=()]+$/.test(term)) return { key: term, op: 'exists' };
    throw new SelectorError(`unable to parse requirement: "${term}"`);
  });
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      default:
        return false;
    }
  });
}

/** A field selector's path (`metadata.name`, `status.phase`): dotted keys, own properties only. */
function valueAt(object: unknown, path: string): string {
  let value: unknown = object;
  for (const key of path.split('.')) {
    value =
      value !== null && typeof value === 'object' && Object.hasOwn(value, key)
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return value === undefined || value === null ? '' : String(value);
}

export function parseFieldSelector(text: string): Requirement[] {
  return splitTerms(text).map((term) => {
    const eq = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!eq) throw new SelectorError(`invalid field selector: "${term}"`);
    return { key: eq[1]!, op: eq[2] === '!=' ? 'neq' : 'eq', value: eq[3]!.trim() };
  });
}

export function matchesFields(reqs: Requirement[], object: unknown): boolean {
  return reqs.every((r) => {
    if (r.op !== 'eq' && r.op !== 'neq') return true;
    const v = valueAt(object, r.key);
    return r.op === 'eq' ? v === r.value : v !== r.value;
  });
}
