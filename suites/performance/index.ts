// The Sevensa platform's built-in performance scenarios, by module name. Each lives in its own module so
// that a load thread (embedded engine) or esbuild (`cutover k6 build`) can load exactly one by file, as
// they load a user's scenario files.
export default ['rentguy', 'psra', 'wpcs', 'keycloak-token', 'trading-dashboard'];
