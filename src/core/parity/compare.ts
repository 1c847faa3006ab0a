// Diffy's method for one request: the baseline answered twice, the target once. What differs between
// the two baseline answers is noise for this endpoint; what differs between baseline and target, and is
// not noise, is a regression. Noise is judged per path and kind, and a noisy value is still compared by
// format, so `id: "<uuid>"` drifting to `id: 42` or to `"…-drift"` is reported although ids always change.

import type { ParityDifference } from '../evidence.js';
import { diffBodyBytes } from './bytes.js';
import { diffJson, type RawDifference } from './diff.js';
import { formatOf, isDateTime } from './format.js';
import { type Normaliser, normalise, type Substitution } from './normalise.js';
import { coveredBy, formatPath, type PathPattern, type PathToken } from './path.js';

/** A response as parity sees it: body parsed (JSON) or text, header names in lower case. */
export interface ParityResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: unknown;
  /** The body's bytes when they are not UTF-8: then compared byte for byte, never as text (bytes.ts). */
  bytes?: Uint8Array;
  /**
   * How the server broke the message framing, when its head alone shows it (a 204 that announces a
   * body): a target that does it where the baseline does not is a difference, since clients such as
   * Node's fail on such answers.
   */
  framing?: string;
}

export interface ParityRules {
  /** Body paths (patterns) never compared. */
  ignore: readonly PathPattern[];
  /** Body paths (patterns) compared by type and format only: values that differ by design. */
  shape?: readonly PathPattern[];
  /** Headers compared, lower case; `*` compares every header the response carries. */
  headers: readonly string[];
  /** Headers never compared, lower case (with `*`: transport headers are always left out). */
  ignoreHeaders?: readonly string[];
  normalisers: readonly Normaliser[];
}

export interface ParityInput {
  baseline: { response: ParityResponse; substitutions: readonly Substitution[] };
  /** The baseline's second answer to the same request; without it nothing is treated as noise. */
  repeat?: { response: ParityResponse; substitutions: readonly Substitution[] };
  target: { response: ParityResponse; substitutions: readonly Substitution[] };
  rules: ParityRules;
  /**
   * When the three answers were taken, in epoch ms (from the first request sent to the last answer
   * read). A value that reads the clock within it on both sides differs by nature; see isClockReading.
   */
  clock?: ClockWindow;
}

export interface ClockWindow {
  fromMs: number;
  toMs: number;
}

/**
 * Hosts' clocks may differ this much (NTP keeps them far closer), and a server may stamp its answer a
 * little before or after our timer sees it.
 */
const CLOCK_SLACK_MS = 5_000;

/**
 * Whether a value is the server's clock at answer time: a date-time string, or a Unix time in seconds or
 * milliseconds, inside the window the answers were taken in. Asking the baseline twice misses these when
 * both of its answers fall in the same second and the target's in the next (OpenBao's
 * `server_time_utc`); a clock that is wrong, or a time stored before the run, lies outside the window
 * and is compared.
 */
export function isClockReading(value: unknown, clock: ClockWindow): boolean {
  let ms: number;
  if (typeof value === 'number' && Number.isInteger(value)) ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string' && isDateTime(value)) ms = Date.parse(value);
  else return false;
  return ms >= clock.fromMs - CLOCK_SLACK_MS && ms <= clock.toMs + CLOCK_SLACK_MS;
}

export interface ParityOutcome {
  equal: boolean;
  differences: ParityDifference[];
  /** Paths that differed between the two baseline answers, and were therefore not held against the target. */
  noise: string[];
}

const STATUS = '@status';
const HEADERS = '@headers';
/**
 * Headers about the connection, not the answer: different by nature between two deployments. The
 * body is compared with its content-coding undone, so how a proxy packed it is transport too.
 */
const TRANSPORT_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'server',
  'via',
  'age',
]);
const BODY = '@body';
const FRAMING = '@framing';

function tree(r: ParityResponse, rules: ParityRules, subs: readonly Substitution[]): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const skip = new Set(rules.ignoreHeaders ?? []);
  const names = rules.headers.includes('*')
    ? Object.keys(r.headers).filter((n) => !TRANSPORT_HEADERS.has(n))
    : rules.headers;
  for (const name of names) {
    if (skip.has(name)) continue;
    const v = r.headers[name];
    if (v !== undefined) {
      // Media types compare without parameters' spelling noise: `application/json; charset=utf-8`.
      const value = name === 'content-type' ? v.split(';')[0]!.trim().toLowerCase() : v;
      headers[name] = normalise(value, [], subs) as string;
    }
  }
  return {
    [STATUS]: r.status,
    [HEADERS]: headers,
    ...(r.framing !== undefined ? { [FRAMING]: r.framing } : {}),
    [BODY]: r.bytes ? undefined : normalise(r.body, rules.normalisers, subs),
  };
}

/** The differences between two answers; their bodies by bytes when either is not UTF-8. */
function diffAnswers(
  x: ParityResponse,
  tx: Record<string, unknown>,
  y: ParityResponse,
  ty: Record<string, unknown>,
): RawDifference[] {
  if (!x.bytes && !y.bytes) return diffJson(tx, ty);
  const { [BODY]: bodyX, ...restX } = tx;
  const { [BODY]: bodyY, ...restY } = ty;
  return [
    ...diffJson(restX, restY),
    ...diffBodyBytes(
      [BODY],
      { ...(x.bytes ? { bytes: x.bytes } : {}), body: bodyX },
      { ...(y.bytes ? { bytes: y.bytes } : {}), body: bodyY },
    ),
  ];
}

/** The path as reports show it: `@status`, `@headers.location`, or the body path (`result.originCountry`). */
export function displayPath(path: readonly PathToken[]): string {
  const [head, ...rest] = path;
  if (head === STATUS) return STATUS;
  if (head === HEADERS) return rest.length ? `${HEADERS}.${rest.join('.')}` : HEADERS;
  if (head === FRAMING) return FRAMING;
  return formatPath(rest);
}

const ignored = (d: RawDifference, rules: ParityRules) =>
  d.path[0] === BODY && rules.ignore.some((p) => coveredBy(p, d.path.slice(1)));

const key = (path: readonly PathToken[]) => JSON.stringify(path);
const isPrefix = (prefix: readonly PathToken[], path: readonly PathToken[]) =>
  prefix.length < path.length && prefix.every((t, i) => t === path[i]);

export function compareResponses(input: ParityInput): ParityOutcome {
  const { rules } = input;
  const a = tree(input.baseline.response, rules, input.baseline.substitutions);
  const t = tree(input.target.response, rules, input.target.substitutions);
  const repeat = input.repeat;
  const noise = repeat
    ? diffAnswers(
        input.baseline.response,
        a,
        repeat.response,
        tree(repeat.response, rules, repeat.substitutions),
      ).filter((d) => !ignored(d, rules))
    : [];
  const noiseAt = new Map<string, RawDifference[]>();
  for (const n of noise) noiseAt.set(key(n.path), [...(noiseAt.get(key(n.path)) ?? []), n]);
  // Below a path whose structure itself changes between baseline answers, nothing is comparable.
  const structural = noise.filter((n) => n.kind !== 'value');

  const clockPaths: RawDifference[] = [];
  const real = diffAnswers(input.baseline.response, a, input.target.response, t).filter((d) => {
    if (ignored(d, rules)) return false;
    if (structural.some((n) => isPrefix(n.path, d.path))) return false;
    const byShape = d.path[0] === BODY && rules.shape?.some((p) => coveredBy(p, d.path.slice(1)));
    if (byShape && d.kind === 'value') return formatOf(d.baseline) !== formatOf(d.target);
    const same = noiseAt.get(key(d.path))?.filter((n) => n.kind === d.kind) ?? [];
    if (same.length === 0) {
      const clock = input.clock;
      if (
        !clock ||
        d.kind !== 'value' ||
        !isClockReading(d.baseline, clock) ||
        !isClockReading(d.target, clock)
      )
        return true;
      // Two readings of the clock: noise, as if the baseline's answers had differed there.
      clockPaths.push(d);
    }
    // A value that changes anyway is judged by its format: a fresh UUID is fine, a non-UUID is not.
    return d.kind === 'value' && formatOf(d.baseline) !== formatOf(d.target);
  });
  return {
    equal: real.length === 0,
    differences: real.map((d) => ({
      path: displayPath(d.path),
      kind: kindOf(d),
      baseline: d.baseline,
      target: d.target,
    })),
    noise: [...new Set([...noise, ...clockPaths].map((n) => displayPath(n.path)))],
  };
}

/** Status and header differences keep their own kinds, so a report can group them. */
function kindOf(d: RawDifference): ParityDifference['kind'] {
  if (d.path[0] === STATUS) return 'status';
  if (d.path[0] === HEADERS) return d.kind === 'value' ? 'header' : d.kind;
  return d.kind;
}
