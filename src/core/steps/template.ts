// Placeholders in a request: `{{runId}}`, `{{captured}}`, `{{env.VAR}}`. Rendering reports what it could
// not fill instead of sending a request with a hole in it. The integration steps and the performance
// scenarios (both engines: this module is bundled into k6 scripts, so it needs nothing from Node) share
// this one syntax.

export interface TemplateScope {
  vars: Readonly<Record<string, string>>;
  env: Readonly<Record<string, string | undefined>>;
  /** Told every environment variable's value used, so it is masked wherever it shows up. */
  /** Told every secret value filled in, so the runner can keep it out of what it records. */
  redactor?: { add(value: string): void };
}

export interface Rendered<T> {
  value: T;
  /** Placeholders with no value, as written: `bookingId`, `env.API_KEY`. */
  missing: string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

function renderText(text: string, scope: TemplateScope, missing: Set<string>): string {
  // Most text has no placeholder: skip the regular expression (load requests render every iteration).
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name.startsWith('env.')) {
      const value = scope.env[name.slice(4)];
      if (value === undefined || value === '') {
        missing.add(name);
        return whole;
      }
      // Whatever comes from the environment is treated as a secret: it is masked wherever it shows up.
      scope.redactor?.add(value);
      return value;
    }
    const value = Object.hasOwn(scope.vars, name) ? scope.vars[name] : undefined;
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    return value;
  });
}

/** The placeholder names in a text, as written between the braces: `bookingId`, `env.API_KEY`. */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** A plain object or array, whose strings are rendered; anything else (a Date, a Buffer) is kept as it is. */
function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Renders every string inside a value (JSON bodies, header maps, query maps). */
export function render<T>(value: T, scope: TemplateScope): Rendered<T> {
  const missing = new Set<string>();
  const go = (v: unknown): unknown => {
    if (typeof v === 'string') return renderText(v, scope, missing);
    if (Array.isArray(v)) return v.map(go);
    if (v !== null && typeof v === 'object' && isPlain(v))
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, go(item)]));
    return v;
  };
  return { value: go(value) as T, missing: [...missing] };
}

/** The placeholders every string inside a value names, as written (`bookingId`, `env.API_KEY`). */
export function placeholdersIn(value: unknown): string[] {
  const found = new Set<string>();
  const go = (v: unknown): void => {
    if (typeof v === 'string') for (const name of placeholderNames(v)) found.add(name);
    else if (Array.isArray(v)) v.forEach(go);
    else if (v !== null && typeof v === 'object' && isPlain(v)) Object.values(v).forEach(go);
  };
  go(value);
  return [...found];
}

/** A path with each placeholder written `{name}`: `/api/bookings/{bookingId}`, as reports name endpoints. */
export function templatePath(path: string): string {
  return path.replace(PLACEHOLDER, (_w, name: string) => `{${name}}`);
}

/** The endpoint as reports name it: `GET /api/bookings/{bookingId}`, the same in every environment. */
export function endpointName(method: string, path: string): string {
  return `${method} ${templatePath(path)}`;
}
