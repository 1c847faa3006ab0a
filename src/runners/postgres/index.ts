// PostgreSQL data diff (I/O): see diff.ts. The pure parts are in src/core/data/.
export { type DiffOptions, type DiffProgress, diffDatabases, summarise } from './diff.js';
export { connectionLabel, type DatabaseConnection } from './session.js';
