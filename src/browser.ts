// The spec-side API, `import { capture } from 'cutover/browser'`: kept apart from the main entry so a
// config file never loads Playwright, and a spec never loads the CLI.
export { type CaptureOptions, capture } from './suites/browser/capture.js';
