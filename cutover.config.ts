// The Sevensa platform as the migration plan names it. Both environments point at `cutover sim`, the
// local stand-in, so the harness can be shown on one machine: baseline (Docker Compose) on 127.0.0.1,
// target (Kubernetes 1.28) under its production-style host names, pinned to 127.0.0.2 as
// `curl --resolve` would, so Host headers and TLS SNI are the ones the cluster's ingress will see.
import { defineConfig } from 'cutover';
import { services } from './suites/smoke/services.js';

const ids = Object.keys(services) as (keyof typeof services)[];

export default defineConfig({
  project: 'sevensa',
  environments: {
    baseline: {
      title: 'Docker Compose (today)',
      kind: 'compose',
      composeFile: './deploy/docker-compose.yml',
      services: Object.fromEntries(ids.map((id, i) => [id, { url: `http://127.0.0.1:${17101 + i}` }])),
    },
    target: {
      title: 'Kubernetes 1.28',
      kind: 'kubernetes',
      context: 'sevensa-prod',
      namespaces: ['sevensa-infra', 'sevensa-monitoring', 'sevensa-apps', 'sevensa-ai'],
      resolve: { '*.k8s.sevensa.test': '127.0.0.2' },
      services: Object.fromEntries(
        ids.map((id, i) => [id, { url: `http://${id}.k8s.sevensa.test:${17201 + i}` }]),
      ),
    },
  },
  services,
  // The built-in Sevensa integration scenarios (suites/integration/platform/).
  integration: { builtin: true },
  // The monitoring suite's webhook receiver on a free port: the simulator's Alertmanager delivers the
  // synthetic alert to the receiver its annotation names, and `cutover demo` tells its real Alertmanager.
  // Against a real platform, a fixed port (and `url`, where Alertmanager reaches it) that its config routes to.
  monitoring: { alert: { receiver: { port: 0 } } },
  // The browser suite (opt-in: `--suite browser`): the specs in suites/browser/ open RentGuy's frontend,
  // signed in through each environment's Keycloak as the demo's user (`cutover demo` sets the variables).
  // 12 loads per page, two pages: the wave gate's LCP median per service rests on 24 loads a side.
  browser: {
    service: 'rentguy-frontend',
    loads: 12,
    // The simulated pages mark themselves complete once their data and hero image are in.
    ready: 'body[data-state=ready]',
    login: {
      usernameEnv: 'CUTOVER_OIDC_USERNAME',
      passwordEnv: 'CUTOVER_OIDC_PASSWORD',
      loggedIn: '[data-testid=user-name]',
    },
  },
  // Velero's nightly schedules (one per namespace) and the stateful services each covers; the newest
  // backup of each must be under a day old (success criterion 5). The restore drill runs in `cutover demo`.
  backup: {
    rpo: '24h',
    schedules: [
      { schedule: 'nightly-sevensa-infra', covers: ['openbao', 'keycloak'] },
      { schedule: 'nightly-sevensa-monitoring', covers: ['prometheus', 'grafana', 'loki'] },
      { schedule: 'nightly-sevensa-apps', covers: ['rentguy-api', 'psra-api', 'wpcs-api'] },
      { schedule: 'nightly-sevensa-ai', covers: ['n8n', 'langgraph'] },
    ],
  },
  // OIDC profiles the integration scenarios sign in with. Secrets live in environment variables only;
  // `cutover demo` sets these for the simulated Keycloak itself (sim/identity.ts).
  auth: {
    service: {
      grant: 'client_credentials',
      issuer: { service: 'keycloak', path: '/realms/sevensa' },
      clientIdEnv: 'CUTOVER_OIDC_CLIENT_ID',
      clientSecretEnv: 'CUTOVER_OIDC_CLIENT_SECRET',
      tokenEndpointAuth: 'client_secret_post',
      resource: 'urn:sevensa:api',
    },
    user: {
      grant: 'password',
      issuer: { service: 'keycloak', path: '/realms/sevensa' },
      clientIdEnv: 'CUTOVER_OIDC_CLIENT_ID',
      clientSecretEnv: 'CUTOVER_OIDC_CLIENT_SECRET',
      tokenEndpointAuth: 'client_secret_post',
      usernameEnv: 'CUTOVER_OIDC_USERNAME',
      passwordEnv: 'CUTOVER_OIDC_PASSWORD',
      scope: 'openid profile email',
    },
  },
});
