// Diffy's method for one request: the baseline answered more than once, the target once. What differs
// between the baseline's answers is noise for this endpoint; what differs between baseline and target,
// and is not noise, is a regression. Noise is judged per leaf and kind, and a noisy value is still
// compared by format, so `id: "<uuid>"` drifting to `id: 42` or to `"…-drift"` is reported although ids
// always change. An array whose order is noisy is compared without its order, element by element.

import type { ParityDifference } from '../evidence.js';
import { diffBodyBytes } from './bytes.js';
import { type DiffOptions, diffJson, type RawDifference } from './diff.js';
import { formatOf, isDateTime } from './format.js';
import { arrayRule, type Normaliser, normalise, type Substitution, substitute } from './normalise.js';
import { anyIndexPath, coveredBy, formatPath, type PathPattern, type PathToken } from './path.js';

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
  /** Body paths (patterns) where each side's own values are not replaced by placeholders. */
  literal?: readonly PathPattern[];
}

/** One answer, with the values of its own environment (captured ids, base URL, host) to set aside. */
export interface ParitySide {
  response: ParityResponse;
  substitutions: readonly Substitution[];
}

export interface ParityInput {
  baseline: ParitySide;
  /** The baseline's further answers to the same request; without them nothing is treated as noise. */
  repeats?: readonly ParitySide[];
  target: ParitySide;
  rules: ParityRules;
  /**
   * When the answers were taken, in epoch ms (from the first request sent to the last answer read). A
   * value that reads the clock within it on both sides differs by nature; see isClockReading.
   */
  clock?: ClockWindow;
  /**
   * Noise earlier runs learned for this step (a recorded baseline's `noise`), as `learned` gives it:
   * a value difference there is judged by format, an order difference is none.
   */
  learned?: readonly string[];
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
  /** Paths found noisy (between the baseline's answers, clock readings, learned earlier); `[*]`: any element. */
  noise: string[];
  /**
   * The part of `noise` a recorded baseline keeps for later runs: leaves whose value changed and arrays
   * whose order changed (not fields that came and went, nor the status).
   */
  learned: string[];
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

function tree(r: ParityResponse, rules: ParityRules): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const skip = new Set(rules.ignoreHeaders ?? []);
  const names = rules.headers.includes('*')
    ? Object.keys(r.headers).filter((n) => !TRANSPORT_HEADERS.has(n))
    : rules.headers;
  for (const name of names) {
    if (skip.has(name)) continue;
    const v = r.headers[name];
    // Media types compare without parameters' spelling noise: `application/json; charset=utf-8`.
    if (v !== undefined) headers[name] = name === 'content-type' ? v.split(';')[0]!.trim().toLowerCase() : v;
  }
  return {
    [STATUS]: r.status,
    [HEADERS]: headers,
    ...(r.framing !== undefined ? { [FRAMING]: r.framing } : {}),
    [BODY]: r.bytes ? undefined : normalise(r.body, rules.normalisers),
  };
}

/** The differences between two answers; their bodies by bytes when either is not UTF-8. */
function diffAnswers(
  x: ParityResponse,
  tx: Record<string, unknown>,
  y: ParityResponse,
  ty: Record<string, unknown>,
  options: DiffOptions,
): RawDifference[] {
  if (!x.bytes && !y.bytes) return diffJson(tx, ty, [], options);
  const { [BODY]: bodyX, ...restX } = tx;
  const { [BODY]: bodyY, ...restY } = ty;
  return [
    ...diffJson(restX, restY, [], options),
    ...diffBodyBytes(
      [BODY],
      { ...(x.bytes ? { bytes: x.bytes } : {}), body: bodyX },
      { ...(y.bytes ? { bytes: y.bytes } : {}), body: bodyY },
    ),
  ];
}

/**
 * How two answers are set against each other. A side's own values (its host, base URL, captured ids)
 * become placeholders only in a pair of strings that differ, and then on both sides at once: a string
 * the same on both sides is equal as it is, so a Prometheus label that holds the baseline's host:port
 * on both sides is not rewritten on one side only and reported as a difference of cutover's making.
 */
function diffOptions(left: ParitySide, right: ParitySide, rules: ParityRules): DiffOptions {
  const body = (path: readonly PathToken[]) => (path[0] === BODY ? path.slice(1) : undefined);
  return {
    same: (x, y, path) => {
      if (typeof x !== 'string' || typeof y !== 'string') return false;
      const inBody = body(path);
      if (inBody && rules.literal?.some((p) => coveredBy(p, inBody))) return false;
      return substitute(x, left.substitutions) === substitute(y, right.substitutions);
    },
    arrays: (path) => {
      const inBody = body(path);
      return inBody ? arrayRule(rules.normalisers, inBody) : undefined;
    },
  };
}

/** The path as reports show it: `@status`, `@headers.location`, or the body path (`result.originCountry`). */
export function displayPath(path: readonly PathToken[], anyIndex = false): string {
  const [head, ...rest] = path;
  if (head === STATUS) return STATUS;
  if (head === HEADERS) return rest.length ? `${HEADERS}.${rest.join('.')}` : HEADERS;
  if (head === FRAMING) return FRAMING;
  return anyIndex ? anyIndexPath(rest) : formatPath(rest);
}

const ignored = (d: RawDifference, rules: ParityRules) =>
  d.path[0] === BODY && rules.ignore.some((p) => coveredBy(p, d.path.slice(1)));

const key = (path: readonly PathToken[]) => JSON.stringify(path);
const isPrefix = (prefix: readonly PathToken[], path: readonly PathToken[]) =>
  prefix.length < path.length && prefix.every((t, i) => t === path[i]);
/** An element's slot in its array, any index: the target's extra elements are numbered its own way. */
const slot = (path: readonly PathToken[]) =>
  typeof path.at(-1) === 'number' ? key([...path.slice(0, -1), '*']) : undefined;

/** What the baseline's answers taught about one request: where, and in what way, they differ. */
class Noise {
  private readonly at = new Map<string, Set<string>>();
  private readonly extraSlots = new Set<string>();
  /** Below a key whose presence or type changes, nothing is comparable. */
  private readonly structural: PathToken[][] = [];

  constructor(readonly found: readonly RawDifference[]) {
    for (const n of found) {
      const kinds = this.at.get(key(n.path)) ?? new Set<string>();
      this.at.set(key(n.path), kinds.add(n.kind));
      const s = slot(n.path);
      // An element one answer lists and another does not: that list gains and loses elements. Its
      // elements present on both sides are still compared leaf by leaf; its order and length are not
      // structure (they were, and one reordered list dropped every difference beneath it).
      if (n.kind === 'extra' && s) this.extraSlots.add(s);
      else if (n.kind === 'type' || n.kind === 'missing' || n.kind === 'extra') this.structural.push(n.path);
    }
  }

  beneathStructural(d: RawDifference): boolean {
    return this.structural.some((p) => isPrefix(p, d.path));
  }

  has(d: RawDifference): boolean {
    if (this.at.get(key(d.path))?.has(d.kind)) return true;
    const s = d.kind === 'extra' ? slot(d.path) : undefined;
    return s !== undefined && this.extraSlots.has(s);
  }
}

export function compareResponses(input: ParityInput): ParityOutcome {
  const { rules } = input;
  const a = tree(input.baseline.response, rules);
  const diff = (other: ParitySide) =>
    diffAnswers(
      input.baseline.response,
      a,
      other.response,
      tree(other.response, rules),
      diffOptions(input.baseline, other, rules),
    ).filter((d) => !ignored(d, rules));
  const noise = new Noise((input.repeats ?? []).flatMap(diff));
  const learned = new Set(input.learned ?? []);

  const noisy: RawDifference[] = [...noise.found];
  const real = diff(input.target).filter((d) => {
    if (noise.beneathStructural(d)) return false;
    const byShape = d.path[0] === BODY && rules.shape?.some((p) => coveredBy(p, d.path.slice(1)));
    if (byShape && d.kind === 'value') return formatOf(d.baseline) !== formatOf(d.target);
    if (!noise.has(d)) {
      const clock = input.clock;
      const reading =
        clock && d.kind === 'value' && isClockReading(d.baseline, clock) && isClockReading(d.target, clock);
      const known =
        (d.kind === 'value' || d.kind === 'order') &&
        d.path[0] !== STATUS &&
        learned.has(displayPath(d.path, true));
      if (!reading && !known) return true;
      // Two readings of the clock, or noise an earlier run learned: as if the baseline's answers differed.
      noisy.push(d);
    }
    // A value that changes anyway is judged by its format: a fresh UUID is fine, a non-UUID is not.
    return d.kind === 'value' && formatOf(d.baseline) !== formatOf(d.target);
  });
  const carried = noisy.filter((n) => (n.kind === 'value' || n.kind === 'order') && n.path[0] !== STATUS);
  return {
    equal: real.length === 0,
    differences: real.map((d) => ({
      path: displayPath(d.path),
      kind: kindOf(d),
      baseline: d.baseline,
      target: d.target,
    })),
    noise: [...new Set(noisy.map((n) => displayPath(n.path, true)))],
    learned: [...new Set(carried.map((n) => displayPath(n.path, true)))],
  };
}

/** Status and header differences keep their own kinds, so a report can group them. */
function kindOf(d: RawDifference): ParityDifference['kind'] {
  if (d.path[0] === STATUS) return 'status';
  if (d.path[0] === HEADERS) return d.kind === 'value' ? 'header' : d.kind;
  return d.kind;
}
