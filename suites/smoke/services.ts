// The Sevensa platform's services as the smoke suite checks them: tier, migration phase and wave, and what
// a healthy answer of each is (its health path, status, media type and payload). The repository's
// cutover.config.ts imports them, as a project keeps its own data beside its config.
import type { UserConfig } from 'cutover';

type Services = UserConfig['services'];

const json = 'application/json';
export const services = {
  openbao: {
    title: 'OpenBao secrets',
    tier: 'infrastructure',
    phase: 2,
    public: false,
    health: { path: '/v1/sys/health', contentType: json, json: { initialized: true, sealed: false } },
  },
  keycloak: {
    title: 'Keycloak identity',
    tier: 'infrastructure',
    phase: 2,
    health: { path: '/health/ready', contentType: json, json: { status: 'UP' } },
  },
  traefik: {
    title: 'Traefik ingress',
    tier: 'infrastructure',
    phase: 2,
    health: { path: '/ping', contentType: 'text/plain', contains: 'OK' },
  },
  prometheus: {
    tier: 'monitoring',
    phase: 2,
    public: false,
    health: { path: '/-/ready', contentType: 'text/plain', contains: 'Ready' },
  },
  grafana: {
    tier: 'monitoring',
    phase: 2,
    health: { path: '/api/health', contentType: json, json: { database: 'ok' } },
  },
  alertmanager: {
    tier: 'monitoring',
    phase: 2,
    public: false,
    health: { path: '/-/ready', contentType: 'text/plain', contains: 'OK' },
  },
  loki: {
    tier: 'monitoring',
    phase: 2,
    public: false,
    health: { path: '/ready', contentType: 'text/plain', contains: 'ready' },
  },
  'rentguy-api': {
    title: 'RentGuy API',
    tier: 'application',
    phase: 3,
    wave: 'rentguy',
    health: { path: '/health', contentType: json, json: { status: 'healthy' } },
  },
  'rentguy-frontend': {
    tier: 'frontend',
    phase: 3,
    wave: 'rentguy',
    health: { path: '/health', contentType: json, json: { status: 'ok' } },
  },
  'psra-api': {
    title: 'PSRA-LTSD API',
    tier: 'application',
    phase: 3,
    wave: 'psra',
    health: { path: '/health', contentType: json, json: { status: 'healthy' } },
  },
  'psra-frontend': {
    tier: 'frontend',
    phase: 3,
    wave: 'psra',
    health: { path: '/health', contentType: json, json: { status: 'ok' } },
  },
  'psra-origin-engine': {
    title: 'PSRA LangGraph origin engine',
    tier: 'ai',
    phase: 3,
    wave: 'psra',
    public: false,
    health: { path: '/health', contentType: json, json: { status: 'healthy' } },
  },
  'wpcs-api': {
    tier: 'application',
    phase: 3,
    wave: 'wpcs',
    health: { path: '/health', contentType: json, json: { status: 'healthy' } },
  },
  'wpcs-frontend': {
    tier: 'frontend',
    phase: 3,
    wave: 'wpcs',
    health: { path: '/health', contentType: json, json: { status: 'ok' } },
  },
  langgraph: {
    tier: 'ai',
    phase: 3,
    wave: 'ai',
    health: { path: '/ok', contentType: json, json: { ok: true } },
  },
  n8n: {
    tier: 'ai',
    phase: 3,
    wave: 'ai',
    health: { path: '/healthz', contentType: json, json: { status: 'ok' } },
  },
  'claude-chat': {
    tier: 'ai',
    phase: 3,
    wave: 'ai',
    health: { path: '/health', contentType: json, json: { status: 'healthy' } },
  },
  'trading-dashboard': {
    tier: 'ai',
    phase: 3,
    wave: 'ai',
    health: { path: '/health', contentType: json, json: { status: 'healthy' } },
  },
} satisfies Services;
