// The AI-tools wave under load: the trading dashboard's market and portfolio reads, the busiest of the
// wave's APIs (LangGraph, N8N and Claude Chat are driven by people and agents, not by page views).
import { defineLoad } from 'cutover';

const ok = { 'status is 200': (r: { status: number }) => r.status === 200 };

export default defineLoad({
  name: 'trading-dashboard',
  description: 'Trading dashboard: market and portfolio reads',
  service: 'trading-dashboard',
  executor: {
    executor: 'constant-arrival-rate',
    rate: 50,
    timeUnit: '1s',
    duration: '1m',
    preAllocatedVUs: 5,
    maxVUs: 50,
    gracefulStop: '10s',
  },
  requests: [
    { weight: 1, method: 'GET', path: '/api/markets', checks: ok },
    { weight: 1, method: 'GET', path: '/api/portfolio', checks: ok },
  ],
  thresholds: {
    http_req_duration: ['p(95)<500'],
    http_req_failed: ['rate<0.01'],
  },
});
