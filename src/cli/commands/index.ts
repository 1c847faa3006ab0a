// Every command of the CLI, in the order `cutover --help` lists them. A new command adds one line.
import type { RegisterCommand } from '../command-kit.js';
import { registerBaseline } from './baseline.js';
import { registerDemo } from './demo.js';
import { registerDoctor } from './doctor.js';
import { registerGate } from './gate.js';
import { registerHistory } from './history.js';
import { registerInventory } from './inventory.js';
import { registerK6 } from './k6.js';
import { registerPerf } from './perf.js';
import { registerPlan } from './plan.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerSecurity } from './security.js';
import { registerSim } from './sim.js';

export const COMMANDS: readonly RegisterCommand[] = [
  registerDemo,
  registerRun,
  registerPerf,
  registerK6,
  registerSim,
  registerReport,
  registerGate,
  registerPlan,
  registerHistory,
  registerBaseline,
  registerInventory,
  registerSecurity,
  registerDoctor,
];
