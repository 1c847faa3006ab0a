// The Sevensa platform's integration scenarios, as the integration suite runs them by default (each only
// where its services are configured). A config adds its own with `integration.scenarios`.
import type { Scenario } from '../../src/suites/integration/define.js';
import { claudeChatRead, tradingDashboardRead, wpcsContent } from './platform/apps.js';
import { keycloakOidc, n8nWebhook, openbaoStatus } from './platform/infra.js';
import { psraAssessment } from './platform/psra.js';
import { rentguyBooking, rentguyEquipment } from './platform/rentguy.js';

export const PLATFORM_SCENARIOS: readonly Scenario[] = [
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

export {
  defineScenario,
  isScenario,
  type Scenario,
  type ScenarioSpec,
  type Step,
} from '../../src/suites/integration/define.js';
