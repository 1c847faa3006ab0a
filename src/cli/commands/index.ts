// Every command of the CLI, in the order `cutover --help` lists them. A new command adds one line.
// Each is registered from src/cli/register/: name, help and flags only; the command's implementation
// in this folder is imported when it runs, so `cutover --help` and each command load only what they use.
import type { RegisterCommand } from '../command-kit.js';
import { registerBaseline } from '../register/baseline.js';
import { registerCompletion } from '../register/completion.js';
import { registerData } from '../register/data.js';
import { registerDemo } from '../register/demo.js';
import { registerDoctor } from '../register/doctor.js';
import { registerGate } from '../register/gate.js';
import { registerHistory } from '../register/history.js';
import { registerImport } from '../register/import.js';
import { registerInit } from '../register/init.js';
import { registerInventory } from '../register/inventory.js';
import { registerK6 } from '../register/k6.js';
import { registerPerf } from '../register/perf.js';
import { registerPlan } from '../register/plan.js';
import { registerReport } from '../register/report.js';
import { registerRun } from '../register/run.js';
import { registerSecurity } from '../register/security.js';
import { registerSim } from '../register/sim.js';
import { registerStatus } from '../register/status.js';
import { registerWatch } from '../register/watch.js';

export const COMMANDS: readonly RegisterCommand[] = [
  registerInit,
  registerDemo,
  registerRun,
  registerPerf,
  registerWatch,
  registerK6,
  registerSim,
  registerReport,
  registerGate,
  registerImport,
  registerPlan,
  registerHistory,
  registerStatus,
  registerBaseline,
  registerInventory,
  registerData,
  registerSecurity,
  registerDoctor,
  registerCompletion,
];
