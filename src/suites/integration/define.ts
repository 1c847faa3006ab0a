// The integration scenario DSL: a typed description of an API flow that Cutover runs on the baseline
// (twice, for noise) and on every target, checking each response's expectations and comparing the
// responses field by field. Scenarios are data plus zod schemas, so a scenario file needs no test
// framework and works against any HTTP JSON API named in the config.
//
// Text in a request (path, query, headers, json or form values) may use placeholders:
//   {{runId}}         this run's id: put it into data a scenario creates, so it can be found and cleaned up
//   {{NAME}}          a value captured by an earlier step of the same environment's flow
//   {{env.VAR}}       an environment variable (an API key, say); treated as a secret and redacted everywhere
// A placeholder that nothing before its step defines is refused when the scenario loads (exit 2): such
// a step could never be sent. One whose value is absent at run time leaves its step unsent, which is
// missing evidence for its service's gates, never a pass.

import type { z } from 'zod';
import type { NormaliserSpec } from '../../core/parity/normalise.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface StepRequest {
  method: HttpMethod;
  /** A path with placeholders, such as `/api/bookings/{{bookingId}}`; reports name the endpoint by it. */
  path: string;
  query?: Readonly<Record<string, string | number | boolean>>;
  headers?: Readonly<Record<string, string>>;
  /** A JSON body; strings inside it may hold placeholders. */
  json?: unknown;
  /** An `application/x-www-form-urlencoded` body. */
  form?: Readonly<Record<string, string>>;
  /** Overrides `integration.timeoutMs` for this request. */
  timeoutMs?: number;
  /**
   * Retries after a network error or a 502/503/504. Honoured only for idempotent methods (GET, HEAD,
   * PUT, DELETE, OPTIONS): a POST is never sent twice by Cutover. Default `integration.retries`.
   */
  retries?: number;
}

export interface StepExpect {
  /** Expected status (or any of several). Default: any 2xx. */
  status?: number | readonly number[];
  /** A zod schema the JSON body must satisfy. */
  schema?: z.ZodType;
  /** Headers that must be present with this value, or matching this pattern. */
  headers?: Readonly<Record<string, string | RegExp>>;
  /** A slower response fails this step's check. */
  maxDurationMs?: number;
  /** What the body must be. Default `json` (an empty body is accepted for 204 and HEAD). */
  body?: 'json' | 'text' | 'empty';
}

export interface ParitySpec {
  /** Body paths never compared: `requestId`, `items[*].fetchedAt`, `**.etag`. */
  ignore?: readonly string[];
  /**
   * Body paths compared by shape (type and format) rather than value: values that differ by design
   * between environments, such as each realm's own signing key.
   */
  shape?: readonly string[];
  /** Normalisers applied to both sides before comparing. */
  normalise?: readonly NormaliserSpec[];
  /**
   * Response headers compared, besides the status. Default `['content-type']`; `['*']` compares every
   * header except transport ones (date, connection, content-length, server, …).
   */
  headers?: readonly string[];
  /** Headers never compared (useful with `headers: ['*']`): `x-request-id`, `etag`. */
  ignoreHeaders?: readonly string[];
  /**
   * Body paths compared as written: each environment's own base URL, host:port and captured values are
   * not set aside there (by default a string holding the baseline's own address on the baseline side
   * and the target's on the target side counts as equal).
   */
  literal?: readonly string[];
}

export interface Step {
  name: string;
  /** The service the request goes to (its URL in each environment). Default: the scenario's. */
  service?: string;
  /** The auth profile (config `auth`) whose bearer token the request carries; `false` for none. */
  auth?: string | false;
  request: StepRequest;
  expect?: StepExpect;
  /**
   * Values to keep for later steps: `{ bookingId: 'id' }` takes a body path, `'header:location'` a
   * header. Each environment follows its own values; parity compares their shapes, not their values.
   */
  capture?: Readonly<Record<string, string>>;
  /** Whether (and how) this step's responses are compared across environments. Default true. */
  parity?: boolean | ParitySpec;
}

export interface ScenarioSpec {
  /** A short id, unique among scenarios: `rentguy-booking`. */
  name: string;
  title?: string;
  /** The service steps go to unless they name another. */
  service: string;
  /** The auth profile steps use unless they say otherwise. */
  auth?: string;
  tags?: readonly string[];
  /** Parity rules for every step (a step's own rules add to these). */
  parity?: ParitySpec;
  /** Run first; a failing setup skips the steps (teardown still runs). */
  setup?: readonly Step[];
  steps: readonly Step[];
  /** Always run, also after a failure: clean up what the scenario created. Steps needing a value never captured are skipped. */
  teardown?: readonly Step[];
}

/** Marks a value as a scenario, so a scenario file may export helpers besides its scenarios. */
export type Scenario = ScenarioSpec & { readonly $kind: 'cutover.scenario' };

/** Declares a scenario. Validation (names, paths, patterns) happens when Cutover loads it, with every problem named. */
export function defineScenario<const S extends ScenarioSpec>(
  spec: S,
): S & { readonly $kind: 'cutover.scenario' } {
  return { ...spec, $kind: 'cutover.scenario' as const };
}

export function isScenario(value: unknown): value is Scenario {
  return (
    typeof value === 'object' && value !== null && (value as { $kind?: unknown }).$kind === 'cutover.scenario'
  );
}
