// Phase 3, application wave "wpcs": WPCS moved to Kubernetes.
import { waveGate } from './wave.js';

export default waveGate('wpcs', 'WPCS');
