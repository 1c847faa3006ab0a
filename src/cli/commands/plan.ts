// `cutover plan --gate ID [--baseline B | --run R]`: how many requests per series each relative
// criterion of a gate needs to be decidable, from the recorded baseline's spread — known before the
// cutover window, not in it.
import { readBaseline } from '../../baseline/store.js';
import { loadConfig } from '../../config/load.js';
import { EXIT, UserError } from '../../core/errors.js';
import type { MetricEvidence } from '../../core/evidence.js';
import { PLAN_RANGE_LEVEL, type PlanRow, planGate } from '../../core/gates/plan.js';
import { loadGateSetup, selectGates } from '../../engine/gate-loader.js';
import { listRunDirs, locateRun, readRun } from '../../record/reader.js';
import type { Io } from '../io.js';

export interface PlanFlags {
  config?: string;
  gate?: string[];
  baseline?: string;
  run?: string;
  power?: string;
  json?: boolean;
}

export async function planCommand(io: Io, flags: PlanFlags): Promise<number> {
  if (!flags.gate?.length) throw new UserError('--gate is required, such as --gate 3-rentguy');
  const power = flags.power === undefined ? 0.9 : Number(flags.power);
  if (!(power > 0.5 && power < 1))
    throw new UserError(`--power ${flags.power}: expected a probability between 0.5 and 1, such as 0.9`);
  const config = await loadConfig(io.cwd, flags.config);
  const setup = selectGates(await loadGateSetup(config, io.cwd), flags.gate, '--gate');
  let evidence: MetricEvidence[];
  let source: string;
  if (flags.baseline) {
    const b = readBaseline(config, flags.baseline, io.cwd);
    evidence = b.evidence.filter((e): e is MetricEvidence => e.kind === 'metric');
    source = `baseline "${b.name}" (run ${b.fromRun})`;
  } else {
    const dir = flags.run
      ? locateRun(config.reportsPath, flags.run, io.cwd)
      : listRunDirs(config.reportsPath)[0];
    if (!dir)
      throw new UserError('no baseline given and no run recorded', {
        hint: 'pass --baseline NAME or --run R',
      });
    const r = readRun(dir);
    evidence = r.evidence.filter(
      (e): e is MetricEvidence => e.kind === 'metric' && e.environment === 'baseline',
    );
    source = `the baseline side of run ${r.id}`;
  }
  const services = Object.entries(config.services).map(([id, s]) => ({
    id,
    tier: s.tier,
    phase: s.phase,
    ...(s.wave ? { wave: s.wave } : {}),
  }));
  const gates = setup.gates.filter((g) => setup.only?.includes(g.spec.id));
  const plans = gates.map((g) => ({ gate: g.spec.id, rows: planGate(g, evidence, services, power) }));
  const requests = (n: number) => `${n} request${n === 1 ? '' : 's'}`;
  const count = (n: number) => (Number.isFinite(n) ? n : null);
  const worst = (rows: readonly PlanRow[], pick: (r: PlanRow) => number) => Math.max(0, ...rows.map(pick));
  if (flags.json) {
    const gatesJson = plans.map((p) => ({
      gate: p.gate,
      needed: count(worst(p.rows, (r) => r.needed)),
      high: count(worst(p.rows, (r) => r.high)),
      rows: p.rows.map((r) => ({ ...r, needed: count(r.needed), low: count(r.low), high: count(r.high) })),
    }));
    io.stdout(`${JSON.stringify({ source, power, rangeLevel: PLAN_RANGE_LEVEL, gates: gatesJson })}\n`);
    return EXIT.GO;
  }
  io.stdout(
    `Planning from ${source}; a ${Math.round(power * 100)} % chance of GO per gate if the target is no worse.\n`,
  );
  const level = `${Math.round(PLAN_RANGE_LEVEL * 100)} %`;
  for (const p of plans) {
    io.stdout(`\nGate ${p.gate}:\n`);
    if (p.rows.length === 0) {
      io.stdout(
        '  no relative criterion has baseline evidence to plan from (record a baseline with the performance suite)\n',
      );
      continue;
    }
    for (const r of p.rows) {
      const range =
        r.low === r.high ? '' : `, ${level} range ${r.low}–${Number.isFinite(r.high) ? r.high : '∞'}`;
      io.stdout(
        `  ${r.criterion} [${r.series}]: ${Number.isFinite(r.needed) ? `${requests(r.needed)} per side${range}` : 'cannot be decided at this tolerance'} (${r.note})\n`,
      );
    }
    const needed = worst(p.rows, (r) => r.needed);
    const high = worst(p.rows, (r) => r.high);
    if (!Number.isFinite(needed)) {
      io.stdout('  → some series cannot be decided at any number of requests (see above)\n');
      continue;
    }
    io.stdout(
      `  → every series needs at least ${requests(needed)} per side at the spreads the baseline shows${high > needed ? `; plan ${Number.isFinite(high) ? high : '∞'} to allow for the baseline's own uncertainty (the upper end of the ${level} ranges)` : ''}\n`,
    );
  }
  return EXIT.GO;
}
