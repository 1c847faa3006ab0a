// Phase 3, application wave "ai": AI orchestration: LangGraph, N8N, Claude Chat, trading dashboard moved to Kubernetes.
import { waveGate } from './wave.js';

export default waveGate('ai', 'AI orchestration: LangGraph, N8N, Claude Chat, trading dashboard', {
  data: false,
});
