// The built-in phase gates, in phase order. A project may keep its own gates in its gates/ folder
// (one gate per file, default export); when it has none, these apply.
import type { GateSpec } from '../src/core/gates/define.js';
import phase1 from './phase-1-cluster.js';
import phase2 from './phase-2-infrastructure.js';
import phase3ai from './phase-3-ai.js';
import phase3psra from './phase-3-psra.js';
import phase3rentguy from './phase-3-rentguy.js';
import phase3wpcs from './phase-3-wpcs.js';
import phase4 from './phase-4-validation.js';
import phase5 from './phase-5-cutover.js';

export const BUILTIN_GATES: readonly GateSpec[] = [
  phase1,
  phase2,
  phase3rentguy,
  phase3psra,
  phase3wpcs,
  phase3ai,
  phase4,
  phase5,
];
