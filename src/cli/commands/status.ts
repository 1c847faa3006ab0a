// `cutover status`: the migration at a glance, across runs — for the weekly status report. Reads the
// gate results every recorded run holds (a `cutover gate` decision is a run record of its own), the
// project's gates and the waivers and sign-offs on file, and writes status.md and status.html (charts
// inline) beside the runs; prints the Markdown, or with --json one object (`cutover.status/v1`). The
// verdicts are the recorded ones (core/status/status.ts judges nothing again), so status says what
// `cutover gate` said, and beside it what has changed since: evidence gone stale, a waiver expired.
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { EXIT, UserError } from '../../core/errors.js';
import { migrationStatus, type RunGates } from '../../core/status/status.js';
import { loadGateSetup } from '../../engine/gate-loader.js';
import { writeAll } from '../../record/files.js';
import { listRunDirs, readRunGates } from '../../record/reader.js';
import { renderStatusHtml } from '../../report/status-html.js';
import { renderStatusMarkdown } from '../../report/status-markdown.js';
import { jsonText } from '../../report/text.js';
import type { Io } from '../io.js';
import { withOutput } from '../reporters.js';
import { displayPath } from './run.js';

export const STATUS_SCHEMA = 'cutover.status/v1';
export const STATUS_FILES = { md: 'status.md', html: 'status.html' } as const;

export interface StatusFlags {
  config?: string;
  limit?: string;
  json?: boolean;
  /** `--output DIR`: where status.md and status.html go (default: the config's reportsDir). */
  output?: string;
}

export async function statusCommand(io: Io, flags: StatusFlags): Promise<number> {
  const limit = flags.limit === undefined ? 100 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UserError(`--limit ${flags.limit}: expected a positive whole number`);
  const config = await loadConfig(io.cwd, flags.config);
  const setup = await loadGateSetup(config, io.cwd);
  const runs: RunGates[] = [];
  for (const dir of listRunDirs(config.reportsPath).slice(0, limit)) {
    try {
      const r = readRunGates(dir);
      runs.push({
        id: r.id,
        command: r.command,
        startedAt: r.startedAt,
        ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
        gates: r.gates,
      });
    } catch (error) {
      io.stderr(`cutover status: skipped an unreadable run: ${(error as Error).message}\n`);
    }
  }
  const status = migrationStatus({
    now: io.now(),
    gates: setup.gates
      .filter((g) => g.spec.phase >= 1)
      .map((g) => ({
        id: g.spec.id,
        title: g.spec.title,
        phase: g.spec.phase,
        ...(g.spec.wave ? { wave: g.spec.wave } : {}),
      })),
    runs,
    waivers: setup.waivers,
    attestations: setup.attestations,
  });
  const project = config.project;
  const markdown = renderStatusMarkdown(status, project);
  const dir = withOutput(io, config, flags.output).reportsPath;
  writeAll(dir, {
    [STATUS_FILES.md]: markdown,
    [STATUS_FILES.html]: renderStatusHtml(status, project),
  });
  if (flags.json) io.stdout(`${jsonText({ schema: STATUS_SCHEMA, project, ...status })}\n`);
  else {
    io.stdout(markdown);
    io.stderr(
      `Written: ${displayPath(io, join(dir, STATUS_FILES.md))}, ${displayPath(io, join(dir, STATUS_FILES.html))}\n`,
    );
  }
  return EXIT.GO;
}
