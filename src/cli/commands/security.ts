// `cutover security posture` and `cutover security kube-bench`: the suite's checks on their own, on
// files (before anything is deployed: Helm's rendered output, kompose's, a kube-bench JSON) or on a
// cluster. `--json` prints one object {totals, findings, …}; fields may be added, never removed.
// Exit: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad input, 3 could not check.
import { EXIT, UserError } from '../../core/errors.js';
import type { Severity } from '../../core/evidence.js';
import { SEVERITIES, type SecurityFinding, type Totals } from '../../core/security/finding.js';
import { KUBE_BENCH_MAX_BYTES, parseKubeBench } from '../../core/security/kube-bench.js';
import { evaluatePosture } from '../../core/security/posture.js';
import { jsonText, visible } from '../../report/text.js';
import type { Io } from '../io.js';
import { type KubeInputFlags, readKubeInput } from '../kube-input.js';
import { readCappedText } from '../read-capped.js';

export interface PostureFlags extends KubeInputFlags {
  json?: boolean;
  failOn: Severity | 'none';
}

export interface KubeBenchFlags {
  import: string;
  json?: boolean;
  failOn: Severity | 'none';
}

function failing(findings: readonly SecurityFinding[], failOn: Severity | 'none'): number {
  if (failOn === 'none') return 0;
  const limit = SEVERITIES.indexOf(failOn);
  return findings.filter((f) => SEVERITIES.indexOf(f.severity) <= limit).length;
}

// Objects, paths and messages come from manifests, a cluster or an imported kube-bench file: shown with
// their control and bidi characters visible, as in the reports.
function renderFindings(findings: readonly SecurityFinding[], totals: Totals): string {
  const lines = findings.map(
    (f) =>
      `${f.severity.toUpperCase().padEnd(8)} ${visible(f.check)}  ${visible(f.object)}\n         ${visible(f.path)}\n         ${visible(f.message)}\n         fix: ${visible(f.remedy)}`,
  );
  const summary = `${totals.pass} pass, ${totals.fail} fail, ${totals.warn} warn, ${totals.info} info`;
  return `${lines.join('\n')}${lines.length ? '\n\n' : ''}${summary}\n`;
}

export async function postureCommand(io: Io, flags: PostureFlags): Promise<number> {
  const input = await readKubeInput(io, flags);
  const report = evaluatePosture(input.objects, {
    source: input.source,
    ...(input.namespaces ? { applicationNamespaces: input.namespaces } : {}),
  });
  if (flags.json) io.stdout(`${jsonText(report, 2)}\n`);
  else {
    const profiles = report.profiles.map(
      (p) =>
        `  ${p.level.padEnd(10)} ${visible(p.object)}${p.violations.length ? `  (${visible(p.violations.join(', '))})` : ''}`,
    );
    io.stdout(
      `${report.workloads} workloads; Pod Security Standards level met:\n${profiles.join('\n')}\n\n${renderFindings(report.findings, report.totals)}`,
    );
  }
  return failing(report.findings, flags.failOn) > 0 ? EXIT.NO_GO : EXIT.GO;
}

export async function kubeBenchCommand(io: Io, flags: KubeBenchFlags): Promise<number> {
  const text = await readCappedText(io, '--import', flags.import, {
    maxBytes: KUBE_BENCH_MAX_BYTES,
    why: "kube-bench's JSON for every node type of a run is well under a megabyte, and a pod log with it a few; give the JSON itself (kube-bench --json --outputfile, or kubectl logs of its Job)",
  });
  const parsed = parseKubeBench(text);
  if (!parsed.ok) throw new UserError(`--import ${flags.import}: ${parsed.error}`);
  const r = parsed.value;
  if (flags.json) io.stdout(`${jsonText(r, 2)}\n`);
  else {
    const head = visible(
      `kube-bench ${r.benchmark}${r.detectedVersion ? ` (detected ${r.detectedVersion})` : ''}, ${r.targets.map((t) => t.nodeType).join(' + ')}, ${r.format} format`,
    );
    const cnc = r.couldNotCheck.length
      ? `\nCould not check ${r.couldNotCheck.length} (kube-bench itself failed; not a pass):\n${[...new Set(r.couldNotCheck.map((c) => c.reason))].map((x) => `  - ${visible(x)}`).join('\n')}\n`
      : '';
    io.stdout(`${head}\n\n${renderFindings(r.findings, r.totals)}${cnc}`);
  }
  if (failing(r.findings, flags.failOn) > 0) return EXIT.NO_GO;
  // Checks kube-bench could not run are unknowns: without findings they make the answer inconclusive.
  return r.couldNotCheck.length > 0 ? EXIT.INCONCLUSIVE : EXIT.GO;
}
