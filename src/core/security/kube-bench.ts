// kube-bench's JSON, every generation of it (shared/reference/security.md §1.4–1.5): the bare array
// of Controls (v0.3.1–v0.4.x and `--nototals`), `{Controls, Totals}` (v0.5.0+), with or without
// `detected_version`, groups with `type` or the older `skip`. Parsed with zod so a truncated or
// foreign document is named as such instead of being read as "no failures".
//
// FAIL on a scored check becomes a finding. kube-bench's own failures are "could not check", never a
// pass and never a finding: an audit that could not run (`reason: failed to run …`, often an
// unsubstituted `$kubeletbin` because the kubelet was not visible from the pod), an audited file that
// was not there (empty output of `test -e …`), or `Forbidden` from the API (the policies section
// needs RBAC that kube-bench's Job does not ship).
import { z } from 'zod';
import type { Severity } from '../evidence.js';
import type { SecurityFinding, Totals } from './finding.js';

const status = z.enum(['PASS', 'FAIL', 'WARN', 'INFO']);

const checkSchema = z.object({
  test_number: z.string(),
  test_desc: z.string(),
  audit: z.string().optional().default(''),
  type: z.string().optional().default(''),
  remediation: z.string().optional().default(''),
  status,
  actual_value: z.string().nullish(),
  scored: z.boolean(),
  expected_result: z.string().nullish(),
  reason: z.string().nullish(),
});

const groupSchema = z.object({
  section: z.string(),
  type: z.string().nullish(),
  skip: z.boolean().optional(),
  pass: z.number().int(),
  fail: z.number().int(),
  warn: z.number().int(),
  info: z.number().int(),
  desc: z.string(),
  results: z
    .array(checkSchema)
    .nullable()
    .transform((r) => r ?? []),
});

const controlsSchema = z.object({
  id: z.string(),
  version: z.string(),
  detected_version: z.string().optional(),
  text: z.string(),
  node_type: z.string(),
  tests: z
    .array(groupSchema)
    .nullable()
    .transform((t) => t ?? []),
  total_pass: z.number().int(),
  total_fail: z.number().int(),
  total_warn: z.number().int(),
  total_info: z.number().int(),
});

const totalsSchema = z.object({
  total_pass: z.number().int(),
  total_fail: z.number().int(),
  total_warn: z.number().int(),
  total_info: z.number().int(),
});

const objectDocument = z.object({ Controls: z.array(controlsSchema), Totals: totalsSchema });
const arrayDocument = z.array(controlsSchema).min(1, 'no controls');

// Dispatch on the shape first, so an error names the field that is wrong rather than "no union matched".
function parseDocument(value: unknown) {
  if (Array.isArray(value)) return arrayDocument.safeParse(value);
  if (value && typeof value === 'object' && 'Controls' in value) return objectDocument.safeParse(value);
  return objectDocument.safeParse({ Controls: undefined, Totals: undefined });
}

/** `controls-stream`: kube-bench ≤ v0.3.0 printed one Controls object per target, one after another. */
export type KubeBenchFormat = 'controls-totals' | 'controls-array' | 'controls-stream';

export interface KubeBenchTarget {
  id: string;
  text: string;
  nodeType: string;
  totals: Totals;
}

export interface CouldNotCheck {
  check: string;
  object: string;
  reason: string;
}

export interface KubeBenchReport {
  format: KubeBenchFormat;
  /** The benchmark kube-bench ran, such as cis-1.10 (`version` of the controls). */
  benchmark: string;
  /** Kubernetes version kube-bench detected; "none" when --benchmark was given; absent before v0.6.2. */
  detectedVersion?: string;
  targets: KubeBenchTarget[];
  /** kube-bench's own totals (its `Totals`, or the sum of the controls' totals for the array format). */
  totals: Totals;
  findings: SecurityFinding[];
  couldNotCheck: CouldNotCheck[];
}

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The largest kube-bench input read. One run's JSON over every node type (master, etcd, node,
 * policies) is a few hundred KB — about 150 checks, the longest fields `ps` lines of the control-plane
 * processes — and a pod log around it, with glog's lines at a raised -v, a few MB. 32 MiB leaves ten
 * times that and still bounds what a wrong file costs (read, decoded and searched, about 4× its size).
 */
export const KUBE_BENCH_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Finds the JSON document in a pod log: kube-bench writes glog lines to stderr, which `kubectl logs`
 * (and the log API) mix into the same stream.
 */
export function extractJsonDocument(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return trimmed;
  // Line by line without splitting the whole text: a large log that is not kube-bench's costs one
  // short string per line, not a second copy of itself.
  let start = -1;
  for (let at = 0; at < text.length; ) {
    const eol = text.indexOf('\n', at);
    const next = eol < 0 ? text.length : eol + 1;
    if (/^\s*(\{"Controls"|\[\s*\{|\{\s*$|\[\s*$|\{")/.test(text.slice(at, eol < 0 ? text.length : eol))) {
      start = at;
      break;
    }
    at = next;
  }
  if (start < 0) return undefined;
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  return end < start ? undefined : text.slice(start, end + 1);
}

function zodProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'not a kube-bench JSON document';
  const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  return `not a kube-bench JSON document: at ${path}: ${issue.message}`;
}

const NODE_SEVERITY: Record<string, Severity> = {
  master: 'high',
  controlplane: 'high',
  etcd: 'high',
  node: 'high',
  policies: 'medium',
  managedservices: 'medium',
};

function couldNotAudit(c: z.output<typeof checkSchema>): string | undefined {
  const reason = c.reason ?? '';
  const actual = c.actual_value ?? '';
  if (reason.startsWith('failed to run')) {
    const unresolved = /\$[a-z]+bin\b/.exec(c.audit);
    return unresolved
      ? `kube-bench could not run the audit: ${unresolved[0]} was not substituted (the binary or process was not visible from the kube-bench pod; check hostPID and the hostPath mounts)`
      : `kube-bench could not run the audit: ${reason.split('\n')[0]!.slice(0, 200)}`;
  }
  if (/\(Forbidden\)|is forbidden:/.test(actual) || /\(Forbidden\)|is forbidden:/.test(reason)) {
    return 'kube-bench was Forbidden from reading the API (its ServiceAccount lacks the read-only RBAC the policies checks need)';
  }
  if (c.status === 'FAIL' && actual.trim() === '' && /\btest -e\b/.test(c.audit)) {
    return 'the audited file was not found in the kube-bench pod (a missing hostPath mount, or a file this node does not have)';
  }
  return undefined;
}

export function parseKubeBench(text: string): ParseOutcome<KubeBenchReport> {
  const doc = extractJsonDocument(text);
  if (!doc) return { ok: false, error: 'no JSON document found (was kube-bench run with --json?)' };
  let value: unknown;
  let stream = false;
  try {
    value = JSON.parse(doc);
  } catch (error) {
    const parts = splitJsonStream(doc);
    if (parts && parts.length > 1) {
      value = parts;
      stream = true;
    } else return { ok: false, error: `the JSON is malformed: ${(error as Error).message}` };
  }
  const parsed = parseDocument(value);
  if (!parsed.success) return { ok: false, error: zodProblem(parsed.error) };
  const data = parsed.data;
  const format: KubeBenchFormat = stream
    ? 'controls-stream'
    : Array.isArray(data)
      ? 'controls-array'
      : 'controls-totals';
  const controls = Array.isArray(data) ? data : data.Controls;

  const targets: KubeBenchTarget[] = controls.map((c) => ({
    id: c.id,
    text: c.text,
    nodeType: c.node_type,
    totals: { pass: c.total_pass, fail: c.total_fail, warn: c.total_warn, info: c.total_info },
  }));
  const totals: Totals = Array.isArray(data)
    ? targets.reduce(
        (t, c) => ({
          pass: t.pass + c.totals.pass,
          fail: t.fail + c.totals.fail,
          warn: t.warn + c.totals.warn,
          info: t.info + c.totals.info,
        }),
        { pass: 0, fail: 0, warn: 0, info: 0 },
      )
    : {
        pass: data.Totals.total_pass,
        fail: data.Totals.total_fail,
        warn: data.Totals.total_warn,
        info: data.Totals.total_info,
      };

  const findings: SecurityFinding[] = [];
  const couldNotCheck: CouldNotCheck[] = [];
  for (const control of controls) {
    for (const group of control.tests) {
      for (const c of group.results) {
        const object = `kube-bench ${control.version} ${control.node_type} ${c.test_number}`;
        const problem = c.status === 'PASS' ? undefined : couldNotAudit(c);
        if (problem) {
          couldNotCheck.push({ check: c.test_number, object, reason: problem });
          continue;
        }
        if (c.status !== 'FAIL' || !c.scored) continue;
        findings.push({
          check: `cis-${c.test_number}`,
          severity: NODE_SEVERITY[control.node_type] ?? 'high',
          object,
          path: c.audit.split('\n')[0]!.slice(0, 160),
          message: `${c.test_number} ${c.test_desc}${c.actual_value ? ` (found: ${oneLine(redactSecrets(c.actual_value))})` : ''}`,
          remedy: oneLine(c.remediation) || 'see the CIS benchmark text for this check',
        });
      }
    }
  }
  const first = controls[0]!;
  return {
    ok: true,
    value: {
      format,
      benchmark: first.version,
      ...(first.detected_version !== undefined ? { detectedVersion: first.detected_version } : {}),
      targets,
      totals,
      findings,
      couldNotCheck,
    },
  };
}

/** Top-level JSON values written one after another (`{…}{…}` or one per line); undefined if any is not JSON. */
function splitJsonStream(text: string): unknown[] | undefined {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0 && start >= 0) {
        try {
          values.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          return undefined;
        }
        start = -1;
      }
      if (depth < 0) return undefined;
    }
  }
  return depth === 0 ? values : undefined;
}

// actual_value holds raw `ps` lines of the control-plane processes; a token or password given on a
// command line must not reach a report.
const SECRET_FLAG = /(--?[A-Za-z0-9-]*(?:token|password|passwd|secret)[A-Za-z0-9-]*(?:=|\s+))(\S+)/gi;
export function redactSecrets(text: string): string {
  return text.replace(SECRET_FLAG, '$1[redacted]');
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 300);
