// The Sevensa platform's built-in phase gates for tests: the specs as gates/ writes them, and the setup
// the engine judges a record by when a project has no gates of its own (engine/gate-loader.ts loads the
// same files by path).
import BUILTIN from '../../gates/index.js';
import type { GateSpec } from '../../src/core/gates/define.js';
import { parseGate } from '../../src/core/gates/parse.js';
import type { GateSetup } from '../../src/engine/gates.js';

export const BUILTIN_GATES: readonly GateSpec[] = BUILTIN;

export const BUILTIN_SETUP: GateSetup = {
  gates: BUILTIN.map(parseGate),
  attestations: [],
  waivers: [],
};
