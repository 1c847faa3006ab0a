// Phase 3, application wave "rentguy": RentGuy (rentguy-api, rentguy-frontend) moved to Kubernetes.
import { waveGate } from './wave.js';

export default waveGate('rentguy', 'RentGuy (rentguy-api, rentguy-frontend)');
