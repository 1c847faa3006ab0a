import type { UserConfig } from './schema.js';

/**
 * Types a `cutover.config.ts`. An identity function, as Vitest's is: validation happens when the CLI
 * loads the file, so that every problem is reported with its path, not only the first type error.
 */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
