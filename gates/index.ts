// The Sevensa platform's phase gates, in phase order: what applies to a project without gates of its own
// (one gate or a list per file in its gates/ folder, default export). Loaded by path, as a project's gates are.
import phase1 from './phase-1-cluster.js';
import phase2 from './phase-2-infrastructure.js';
import phase3ai from './phase-3-ai.js';
import phase3psra from './phase-3-psra.js';
import phase3rentguy from './phase-3-rentguy.js';
import phase3rentguyBrowser from './phase-3-rentguy-browser.js';
import phase3wpcs from './phase-3-wpcs.js';
import phase4 from './phase-4-validation.js';
import phase5 from './phase-5-cutover.js';

export default [
  phase1,
  phase2,
  phase3rentguy,
  phase3rentguyBrowser,
  phase3psra,
  phase3wpcs,
  phase3ai,
  phase4,
  phase5,
];
