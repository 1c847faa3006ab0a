// Fault specifications: `ENV:SERVICE:FAULT`, as given to `cutover sim` and `cutover demo` with --fault.
// Parsed here, purely, so the CLI can reject a bad flag with a precise message before anything starts,
// and the simulator receives a typed value instead of a string.

export type Fault =
  | { kind: 'down' }
  // `afterMs`: a step — the fault starts that long after the simulator does (`latency=+200ms@2m`), so a
  // post-cutover watch sees healthy traffic first and then a degradation (issue 15).
  | { kind: 'latency-fixed'; addMs: number; afterMs?: number }
  | { kind: 'latency-lognormal'; medianMs: number; sigma: number; afterMs?: number }
  | { kind: 'errors'; rate: number; afterMs?: number }
  | { kind: 'drift'; path: string; mode: 'value' | 'missing' | 'type' }
  | { kind: 'stall'; durationMs: number; afterMs: number }
  // Posture defects for the Kubernetes objects the simulator serves (issue 6 reads these).
  | { kind: 'posture'; defect: PostureDefect }
  // Monitoring defects (issue 15): the demo configures its real Prometheus and Alertmanager from these,
  // the simulator's Loki stand-in honours `no-logs`. `service` is the service the defect is about.
  | { kind: 'monitoring'; defect: MonitoringDefect; service?: string }
  // Page defects of a simulated web frontend (issue 17), seen only in a browser: the pages and the login
  // the browser suite drives. `delayMs` is slow-lcp's delay of the largest element.
  | { kind: 'page'; defect: PageDefect; delayMs?: number }
  // Data defects of a migrated database (issue 16): the SERVICE part names the database (`rentguy-db`);
  // the demo applies them to the target's PostgreSQL after seeding both sides alike.
  | { kind: 'data'; defect: DataDefect; table?: string; count?: number; name?: string }
  // Backup defects (issue 16) of the simulated cluster's Velero: `target:velero:backup-failed`.
  | { kind: 'backup'; defect: BackupDefect };

/** Data defects: what each takes after `=`. */
export const DATA_DEFECTS = {
  'drop-rows': 'TABLE:N',
  'mutate-rows': 'TABLE:N',
  'missing-index': 'NAME',
  'sequence-behind': 'NAME',
  'timestamp-precision': '',
} as const;
export type DataDefect = keyof typeof DATA_DEFECTS;

/** `drop-rows=bookings:5`, `missing-index=bookings_starts_idx`, `timestamp-precision[=TABLE.COLUMN]`. */
function parseDataFault(text: string): ParseResult<Fault> | undefined {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (!Object.hasOwn(DATA_DEFECTS, name)) return undefined;
  const defect = name as DataDefect;
  const arg = eq < 0 ? undefined : text.slice(eq + 1);
  const ident = /^[A-Za-z_][A-Za-z0-9_.]*$/;
  if (defect === 'drop-rows' || defect === 'mutate-rows') {
    const m = /^([A-Za-z_][A-Za-z0-9_.]*):(\d+)$/.exec(arg ?? '');
    if (!m || Number(m[2]) < 1)
      return { ok: false, error: `${defect}: expected ${defect}=TABLE:N such as ${defect}=bookings:5` };
    return { ok: true, value: { kind: 'data', defect, table: m[1]!, count: Number(m[2]) } };
  }
  if (defect === 'timestamp-precision') {
    if (arg !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(arg))
      return {
        ok: false,
        error: 'timestamp-precision: expected no value or TABLE.COLUMN, such as bookings.created_at',
      };
    return { ok: true, value: { kind: 'data', defect, ...(arg ? { name: arg } : {}) } };
  }
  if (!arg || !ident.test(arg))
    return {
      ok: false,
      error: `${defect}: expected ${defect}=NAME such as ${defect}=${defect === 'missing-index' ? 'bookings_starts_idx' : 'bookings_id_seq'}`,
    };
  return { ok: true, value: { kind: 'data', defect, name: arg } };
}

export const POSTURE_DEFECTS = ['privileged', 'latest-tag', 'no-probes', 'no-networkpolicy'] as const;
export type PostureDefect = (typeof POSTURE_DEFECTS)[number];

/** Each monitoring defect, and the component (the fault's SERVICE part) it must be aimed at. */
export const MONITORING_DEFECTS = {
  'target-down': { component: 'prometheus', takesService: true },
  'rule-broken': { component: 'prometheus', takesService: false },
  'rule-selects-nothing': { component: 'prometheus', takesService: false },
  'receiver-down': { component: 'alertmanager', takesService: false },
  'no-logs': { component: 'loki', takesService: true },
} as const;
export type MonitoringDefect = keyof typeof MONITORING_DEFECTS;

/** Page defects of a web frontend; `slow-lcp` is the one that takes a value (`slow-lcp=+800ms`). */
export const PAGE_DEFECTS = [
  'layout-shift',
  'console-error',
  'slow-lcp',
  'broken-asset',
  'a11y-missing-label',
  'login-broken',
] as const;
export type PageDefect = (typeof PAGE_DEFECTS)[number];
/** Velero defects, aimed at the component `velero` (it is no service of the platform). */
export const BACKUP_DEFECTS = ['backup-failed', 'backup-stale', 'restore-partial'] as const;
export type BackupDefect = (typeof BACKUP_DEFECTS)[number];

export interface FaultSpec {
  environment: string;
  service: string;
  fault: Fault;
  /** The text the user gave, kept for messages and the run record. */
  source: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const FAULT_HELP =
  'down | latency=+80ms[@START] | latency=lognormal:20ms:0.3[@START] | errors=5%[@START] | drift=PATH[:missing|:type] | stall=1s@5s | ' +
  POSTURE_DEFECTS.join(' | ') +
  ' | target-down=SERVICE | rule-broken | rule-selects-nothing (prometheus) | receiver-down (alertmanager) | no-logs=SERVICE (loki)' +
  ' | layout-shift | console-error | slow-lcp=+800ms | broken-asset | a11y-missing-label | login-broken (web frontends)' +
  ' | drop-rows=TABLE:N | mutate-rows=TABLE:N | missing-index=NAME | sequence-behind=NAME | timestamp-precision (DATABASE)' +
  ` | ${BACKUP_DEFECTS.join(' | ')} (velero)`;

/**
 * The longest delay a fault may add: latency, a lognormal latency's median, a stall's length. Node's
 * timers hold 32 bits of milliseconds and run anything longer (`+3000000000ms`) after 1 ms, so a
 * delay beyond that would silently become no delay; ten minutes is far beyond any request timeout.
 */
export const MAX_FAULT_DELAY_MS = 10 * 60_000;
/** The latest a stall may start after the simulator does (a start is compared, not waited for). */
export const MAX_FAULT_START_MS = 24 * 3_600_000;

/** Parses a duration such as `80ms`, `1s`, `1.5s` or `250` (milliseconds). */
export function parseDurationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000;
}

function tooLong(what: string, ms: number, max: number): ParseResult<Fault> | undefined {
  if (ms <= max) return undefined;
  const shown = max % 3_600_000 === 0 ? `${max / 3_600_000} h` : `${max / 60_000} min`;
  return { ok: false, error: `${what}: at most ${shown} (${max} ms)` };
}

/**
 * A latency or error fault with `@START` (`errors=20%@90s`): the same fault, starting START after the
 * simulator does. The step is parsed off here so each fault's own syntax stays as it was.
 */
function parseStep(text: string): ParseResult<Fault> {
  const at = text.lastIndexOf('@');
  const kind = text.slice(0, text.indexOf('='));
  if (at < 0 || (kind !== 'latency' && kind !== 'errors')) return parseFault(text);
  const after = parseDurationMs(text.slice(at + 1));
  if (after === undefined)
    return {
      ok: false,
      error: `${kind} "${text.slice(kind.length + 1)}": expected @START such as @30s after the ${kind}`,
    };
  const tooLate = tooLong(`${kind} "${text.slice(kind.length + 1)}": the start`, after, MAX_FAULT_START_MS);
  if (tooLate) return tooLate;
  const parsed = parseFault(text.slice(0, at));
  if (!parsed.ok) return parsed;
  return { ok: true, value: { ...parsed.value, afterMs: after } as Fault };
}

function parseMonitoringFault(text: string): ParseResult<Fault> | undefined {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (!Object.hasOwn(MONITORING_DEFECTS, name)) return undefined;
  const defect = name as MonitoringDefect;
  const arg = eq < 0 ? undefined : text.slice(eq + 1);
  if (MONITORING_DEFECTS[defect].takesService) {
    if (!arg)
      return { ok: false, error: `${defect}: expected ${defect}=SERVICE, such as ${defect}=rentguy-api` };
    return { ok: true, value: { kind: 'monitoring', defect, service: arg } };
  }
  if (arg !== undefined) return { ok: false, error: `${defect} takes no value` };
  return { ok: true, value: { kind: 'monitoring', defect } };
}

function parsePageFault(text: string): ParseResult<Fault> | undefined {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (!(PAGE_DEFECTS as readonly string[]).includes(name)) return undefined;
  const defect = name as PageDefect;
  const arg = eq < 0 ? undefined : text.slice(eq + 1);
  if (defect !== 'slow-lcp') {
    return arg === undefined
      ? { ok: true, value: { kind: 'page', defect } }
      : { ok: false, error: `${defect} takes no value` };
  }
  const ms = arg?.startsWith('+') ? parseDurationMs(arg.slice(1)) : undefined;
  if (ms === undefined || ms <= 0)
    return {
      ok: false,
      error: `slow-lcp${arg === undefined ? '' : ` "${arg}"`}: expected slow-lcp=+DURATION such as slow-lcp=+800ms`,
    };
  return (
    tooLong(`slow-lcp "${arg}"`, ms, MAX_FAULT_DELAY_MS) ?? {
      ok: true,
      value: { kind: 'page', defect, delayMs: ms },
    }
  );
}

function parseFault(text: string): ParseResult<Fault> {
  if (text === 'down') return { ok: true, value: { kind: 'down' } };
  const page = parsePageFault(text);
  if (page) return page;
  if ((POSTURE_DEFECTS as readonly string[]).includes(text)) {
    return { ok: true, value: { kind: 'posture', defect: text as PostureDefect } };
  }
  const monitoring = parseMonitoringFault(text);
  if (monitoring) return monitoring;
  const data = parseDataFault(text);
  if (data) return data;
  if ((BACKUP_DEFECTS as readonly string[]).includes(text))
    return { ok: true, value: { kind: 'backup', defect: text as BackupDefect } };
  const eq = text.indexOf('=');
  if (eq < 0) return { ok: false, error: `unknown fault "${text}"; expected one of: ${FAULT_HELP}` };
  const name = text.slice(0, eq);
  const arg = text.slice(eq + 1);
  switch (name) {
    case 'latency': {
      if (arg.startsWith('+')) {
        const ms = parseDurationMs(arg.slice(1));
        if (ms === undefined)
          return { ok: false, error: `latency "${arg}": expected +DURATION such as +80ms` };
        return (
          tooLong(`latency "${arg}"`, ms, MAX_FAULT_DELAY_MS) ?? {
            ok: true,
            value: { kind: 'latency-fixed', addMs: ms },
          }
        );
      }
      const ln = /^lognormal:([^:]+):([^:]+)$/.exec(arg);
      if (ln) {
        const median = parseDurationMs(ln[1]!);
        const sigma = Number(ln[2]);
        if (median === undefined || !Number.isFinite(sigma) || sigma < 0 || sigma > 5) {
          return {
            ok: false,
            error: `latency "${arg}": expected lognormal:MEDIAN:SIGMA such as lognormal:20ms:0.3 (sigma 0..5)`,
          };
        }
        return (
          tooLong(`latency "${arg}": the median`, median, MAX_FAULT_DELAY_MS) ?? {
            ok: true,
            value: { kind: 'latency-lognormal', medianMs: median, sigma },
          }
        );
      }
      return { ok: false, error: `latency "${arg}": expected +80ms or lognormal:20ms:0.3` };
    }
    case 'errors': {
      const m = /^(\d+(?:\.\d+)?)%$/.exec(arg);
      const pct = m ? Number(m[1]) : Number.NaN;
      if (!m || pct < 0 || pct > 100)
        return { ok: false, error: `errors "${arg}": expected a percentage 0–100 such as 5%` };
      return { ok: true, value: { kind: 'errors', rate: pct / 100 } };
    }
    case 'drift': {
      const parts = arg.split(':');
      const path = parts[0] ?? '';
      const mode = parts[1] ?? 'value';
      if (!/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+|\[\d+\])*$/.test(path)) {
        return {
          ok: false,
          error: `drift "${arg}": expected a JSON field path such as result.originCountry`,
        };
      }
      if (parts.length > 2 || (mode !== 'value' && mode !== 'missing' && mode !== 'type')) {
        return { ok: false, error: `drift "${arg}": the mode after the path must be :missing or :type` };
      }
      return { ok: true, value: { kind: 'drift', path, mode } };
    }
    case 'stall': {
      const m = /^([^@]+)@([^@]+)$/.exec(arg);
      const duration = m ? parseDurationMs(m[1]!) : undefined;
      const after = m ? parseDurationMs(m[2]!) : undefined;
      if (duration === undefined || after === undefined) {
        return { ok: false, error: `stall "${arg}": expected DURATION@START such as 1s@5s` };
      }
      return (
        tooLong(`stall "${arg}": the stall`, duration, MAX_FAULT_DELAY_MS) ??
        tooLong(`stall "${arg}": the start`, after, MAX_FAULT_START_MS) ?? {
          ok: true,
          value: { kind: 'stall', durationMs: duration, afterMs: after },
        }
      );
    }
    default:
      return { ok: false, error: `unknown fault "${name}"; expected one of: ${FAULT_HELP}` };
  }
}

/**
 * Parses `ENV:SERVICE:FAULT`. The fault itself may contain colons (`drift=a.b:missing`), so only the
 * first two separate the parts.
 */
export function parseFaultSpec(text: string): ParseResult<FaultSpec> {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (first <= 0 || second <= first + 1 || second === text.length - 1) {
    return {
      ok: false,
      error: `--fault "${text}": expected ENV:SERVICE:FAULT such as target:rentguy-api:down`,
    };
  }
  const environment = text.slice(0, first);
  const service = text.slice(first + 1, second);
  const parsed = parseStep(text.slice(second + 1));
  if (!parsed.ok) return { ok: false, error: `--fault "${text}": ${parsed.error}` };
  return { ok: true, value: { environment, service, fault: parsed.value, source: text } };
}

/** Checks parsed faults against the environments and services that exist; returns every problem. */
export function validateFaultTargets(
  faults: readonly FaultSpec[],
  environments: readonly string[],
  services: readonly string[],
  databases: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  for (const f of faults) {
    if (!environments.includes(f.environment)) {
      problems.push(
        `--fault "${f.source}": unknown environment "${f.environment}"; known: ${environments.join(', ')}`,
      );
    }
    if (f.fault.kind === 'data') {
      // A data fault names a database, not a service.
      if (!databases.includes(f.service))
        problems.push(
          `--fault "${f.source}": ${f.fault.defect} is a fault of a database; known: ${databases.join(', ') || 'none'}`,
        );
    } else if (f.fault.kind === 'backup') {
      if (f.service !== 'velero')
        problems.push(
          `--fault "${f.source}": ${f.fault.defect} is a fault of velero, as in ${f.environment}:velero:${f.fault.defect}`,
        );
    } else if (!services.includes(f.service)) {
      problems.push(`--fault "${f.source}": unknown service "${f.service}"; known: ${services.join(', ')}`);
    }
    if (f.fault.kind === 'monitoring') {
      const { component } = MONITORING_DEFECTS[f.fault.defect];
      if (f.service !== component)
        problems.push(
          `--fault "${f.source}": ${f.fault.defect} is a fault of ${component}, as in ${f.environment}:${component}:${f.fault.defect}${MONITORING_DEFECTS[f.fault.defect].takesService ? '=SERVICE' : ''}`,
        );
      if (f.fault.service !== undefined && !services.includes(f.fault.service))
        problems.push(
          `--fault "${f.source}": unknown service "${f.fault.service}" after ${f.fault.defect}=; known: ${services.join(', ')}`,
        );
    }
  }
  return problems;
}
