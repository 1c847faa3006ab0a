// Real local PostgreSQL servers on loopback, for `cutover demo`, the simulator and the tests: see server.ts.

export { POSTGRES_WATCHDOG_SCRIPT } from './process.js';
export {
  findPostgresBinDir,
  type PostgresConnection,
  type PostgresServer,
  type PostgresServerOptions,
  postgresUnavailable,
  runSql,
  startPostgresServer,
} from './server.js';
