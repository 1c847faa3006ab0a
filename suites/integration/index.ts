// The Sevensa platform's integration flows, as the integration suite runs them with `integration.builtin`
// (each only where its services are configured). A config adds its own with `integration.scenarios`.
// Loaded by path (src/suites/integration/plan.ts), as a user's flow files are.
import { claudeChatRead, tradingDashboardRead, wpcsContent } from './platform/apps.js';
import { keycloakOidc, n8nWebhook, openbaoStatus } from './platform/infra.js';
import { psraAssessment } from './platform/psra.js';
import { rentguyBooking, rentguyEquipment } from './platform/rentguy.js';

export default [
  keycloakOidc,
  openbaoStatus,
  rentguyEquipment,
  rentguyBooking,
  psraAssessment,
  wpcsContent,
  n8nWebhook,
  claudeChatRead,
  tradingDashboardRead,
];
