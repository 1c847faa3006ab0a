// WPCS (managed WordPress): the REST reads every site's front end makes.
import { defineLoad } from 'cutover';

export default defineLoad({
  name: 'wpcs',
  description: 'WPCS API: WordPress REST reads',
  service: 'wpcs-api',
  executor: {
    executor: 'constant-vus',
    vus: 10,
    duration: '1m',
    gracefulStop: '10s',
  },
  // Readers pause between pages; without think time ten VUs on a fast site measure the load machine.
  sleep: '100ms',
  requests: [
    {
      weight: 4,
      method: 'GET',
      path: '/wp-json/wp/v2/posts?per_page=10',
      endpoint: 'GET /wp-json/wp/v2/posts',
      checks: { 'status is 200': (r) => r.status === 200 },
    },
    {
      weight: 3,
      method: 'GET',
      path: ({ iteration }) => `/wp-json/wp/v2/posts/${101 + (iteration % 5)}`,
      endpoint: 'GET /wp-json/wp/v2/posts/:id',
      checks: { 'status is 200': (r) => r.status === 200 },
    },
    {
      weight: 3,
      method: 'GET',
      path: '/api/sites',
      checks: { 'status is 200': (r) => r.status === 200 },
    },
  ],
  thresholds: {
    http_req_duration: ['p(95)<400'],
    http_req_failed: ['rate<0.01'],
  },
});
