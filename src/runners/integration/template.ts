// Placeholders in a step's request: `{{runId}}`, `{{captured}}`, `{{env.VAR}}`. Rendering reports what
// it could not fill instead of sending a request with a hole in it.
import type { Redactor } from '../auth/redact.js';

export interface TemplateScope {
  vars: Readonly<Record<string, string>>;
  env: Readonly<Record<string, string | undefined>>;
  redactor: Redactor;
}

export interface Rendered<T> {
  value: T;
  /** Placeholders with no value, as written: `bookingId`, `env.API_KEY`. */
  missing: string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

function renderText(text: string, scope: TemplateScope, missing: Set<string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name.startsWith('env.')) {
      const value = scope.env[name.slice(4)];
      if (value === undefined || value === '') {
        missing.add(name);
        return whole;
      }
      // Whatever comes from the environment is treated as a secret: it is masked wherever it shows up.
      scope.redactor.add(value);
      return value;
    }
    const value = scope.vars[name];
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

/** Renders every string inside a value (JSON bodies, header maps, query maps). */
export function render<T>(value: T, scope: TemplateScope): Rendered<T> {
  const missing = new Set<string>();
  const go = (v: unknown): unknown => {
    if (typeof v === 'string') return renderText(v, scope, missing);
    if (Array.isArray(v)) return v.map(go);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, go(item)]));
    return v;
  };
  return { value: go(value) as T, missing: [...missing] };
}

/** The endpoint as reports name it: `GET /api/bookings/{bookingId}`, the same in every environment. */
export function endpointName(method: string, path: string): string {
  return `${method} ${path.replace(PLACEHOLDER, (_w, name: string) => `{${name}}`)}`;
}
