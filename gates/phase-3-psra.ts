// Phase 3, application wave "psra": PSRA-LTSD with its LangGraph origin engine moved to Kubernetes.
import { waveGate } from './wave.js';

export default waveGate('psra', 'PSRA-LTSD with its LangGraph origin engine');
