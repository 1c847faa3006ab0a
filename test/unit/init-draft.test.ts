// `cutover init`'s inference, pure: Traefik rules in both syntaxes, entrypoints and TLS from labels and
// the Traefik command, published ports, health paths from healthchecks and probes, the target's
// Ingresses, IngressRoutes and LoadBalancers, and TODOs (never a guessed URL) where nothing says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftConfig } from '../../src/core/init/draft.js';
import { healthcheckPath } from '../../src/core/init/health.js';
import { renderConfig } from '../../src/core/init/render.js';
import { parseRule } from '../../src/core/init/traefik.js';
import { readCompose } from '../../src/core/inventory/compose.js';
import { parseManifestObjects } from '../../src/core/security/manifests.js';

const F = join(import.meta.dirname, '../fixtures');
const compose = (text: string, env: Record<string, string> = {}) =>
  readCompose(text, { file: 'docker-compose.yml', read: () => undefined, env });
const draft = (text: string, manifests?: string) =>
  draftConfig(compose(text), {
    folder: 'shop',
    ...(manifests ? { objects: parseManifestObjects(manifests, 'k8s.yaml') } : {}),
  });
const svc = (d: ReturnType<typeof draft>, id: string) => d.services.find((s) => s.id === id)!;

describe('Traefik rules', () => {
  it('reads v2 lists, v3 alternatives, quotes, paths; a HostRegexp alone gives no host', () => {
    expect(parseRule('Host(`a.example`, `b.example`)').hosts).toEqual(['a.example', 'b.example']);
    expect(parseRule('Host(`a.example`) || Host("b.example")').hosts).toEqual(['a.example', 'b.example']);
    expect(parseRule('(Host(`api.example`) && PathPrefix(`/v1`)) && !Path(`/x`)')).toEqual({
      hosts: ['api.example'],
      path: '/v1',
      regexpOnly: false,
    });
    expect(parseRule('HostRegexp(`^.+\\.example\\.com$`)')).toEqual({ hosts: [], regexpOnly: true });
    expect(parseRule('HostSNI(`*`)').hosts).toEqual([]);
  });
});

describe('the baseline', () => {
  it("Traefik's public user guide: the routed service on websecure (:443) with TLS, Traefik's API on 8080", () => {
    const d = draft(readFileSync(join(F, 'compose/traefik-acme-tls-docker-compose.yml'), 'utf8'));
    expect(svc(d, 'whoami').baseline.url).toBe('https://whoami.example.com');
    expect(svc(d, 'whoami').tier).toBe('application');
    expect(svc(d, 'traefik').baseline.url).toBe('http://127.0.0.1:8080');
    expect(svc(d, 'traefik').health.path).toBe('/api/version');
  });

  it('maps an entrypoint to the port Compose publishes for it, in v2 and v3 label syntax', () => {
    const text = `
services:
  proxy:
    image: traefik:v2.11
    command: ["--entryPoints.web.address=:80", "--entryPoints.websecure.address=:443", "--entrypoints.web.http.redirections.entrypoint.to=websecure"]
    ports: ["8081:80", "8443:443"]
  api:
    image: shop/api:1
    labels:
      traefik.http.routers.api.rule: "Host(\`api.shop.test\`, \`www.api.shop.test\`)"
      traefik.http.routers.api.entrypoints: web,websecure
      traefik.http.routers.api.tls: "true"
    healthcheck: {test: "curl -fsS http://user:s3cret@localhost:8000/healthz?token=abc || exit 1"}
  web:
    image: shop/web:1
    labels: ["traefik.http.routers.web.rule=Host(\`\${WEB_HOST:-shop.test}\`) && PathPrefix(\`/app\`)", "traefik.http.routers.web.entrypoints=web"]
  pattern:
    image: shop/p:1
    labels: ["traefik.http.routers.p.rule=HostRegexp(\`{sub:[a-z]+}.shop.test\`)"]
`;
    const d = draft(text);
    expect(svc(d, 'api').baseline.url).toBe('https://api.shop.test:8443');
    expect(svc(d, 'api').baseline.todos.join()).toMatch(/also answers www.api.shop.test/);
    expect(svc(d, 'api').health).toMatchObject({ path: '/healthz', from: 'the Compose healthcheck' });
    expect(svc(d, 'web').baseline.url).toBe('http://shop.test:8081/app');
    expect(svc(d, 'pattern').baseline.url).toBeUndefined();
    expect(svc(d, 'pattern').baseline.todos.join()).toMatch(/HostRegexp/);
    // Credentials and query strings in a healthcheck never reach the config.
    const source = renderConfig(d, { composeFile: './docker-compose.yml' }).source;
    expect(source).not.toMatch(/s3cret|token=abc|user:/);
  });

  it('published ports: the one the healthcheck names; a TODO, not a URL, for internal or non-HTTP services', () => {
    const d = draft(`
services:
  api:
    image: shop/api:1
    ports: ["9100:9100", "127.0.0.1:8081:8000"]
    healthcheck: {test: [CMD, wget, -qO-, "http://127.0.0.1:8000/health"]}
  worker:
    image: shop/worker:1
    expose: ["8000"]
  db:
    image: postgres:16
    ports: ["5432:5432"]
    environment: {POSTGRES_PASSWORD: hunter2}
`);
    expect(svc(d, 'api').baseline.url).toBe('http://127.0.0.1:8081');
    expect(svc(d, 'worker').baseline.url).toBeUndefined();
    expect(svc(d, 'worker').baseline.todos.join()).toMatch(/only exposed inside the Compose network/);
    expect(svc(d, 'db').nonHttp).toMatch(/5432 speaks no HTTP/);
    expect(svc(draft('services:\n  cache: {image: "docker.io/library/redis:7"}\n'), 'cache').nonHttp).toBe(
      'redis speaks no HTTP',
    );
    const { source, todos } = renderConfig(d, { composeFile: './docker-compose.yml' });
    expect(source).not.toContain('hunter2');
    expect(source).toMatch(/\/\/ db \(postgres:16\): left out, port 5432 speaks no HTTP/);
    expect(source).toMatch(/\/\/ TODO worker \(baseline\): no baseline URL/);
    expect(todos).toContain(
      'target: the kubeconfig context of the target cluster (cutover init --context NAME reads it)',
    );
  });
});

describe('the target', () => {
  const k8s = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: shop/api:1
        readinessProbe: {httpGet: {path: /ready, port: 8000}}
---
apiVersion: v1
kind: Service
metadata: {name: api-svc, namespace: shop}
spec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: 8000}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  tls: [{hosts: [api.k8s.shop.test]}]
  rules:
  - host: api.k8s.shop.test
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api-svc, port: {number: 80}}}}]}
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: web, namespace: shop}
spec:
  entryPoints: [web]
  routes: [{match: "Host(\`web.k8s.shop.test\`)", kind: Rule, services: [{name: web, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: edge}
spec: {type: LoadBalancer, selector: {app: lb}, ports: [{name: http, port: 8080}]}
status: {loadBalancer: {ingress: [{ip: 203.0.113.7}]}}
`;
  it('an Ingress through the Service that selects the pods, an IngressRoute, a LoadBalancer; probes give health', () => {
    const d = draft(
      `services:
  api: {image: shop/api:1, ports: ["8081:8000"]}
  web: {image: shop/web:1, ports: ["8082:80"]}
  lb: {image: shop/lb:1, ports: ["8083:8080"]}
  cache: {image: shop/cache:1, ports: ["8084:80"]}
`,
      k8s,
    );
    expect(svc(d, 'api').target?.url).toBe('https://api.k8s.shop.test');
    expect(svc(d, 'api').health).toMatchObject({ path: '/ready', from: 'the Kubernetes readiness probe' });
    expect(svc(d, 'web').target?.url).toBe('http://web.k8s.shop.test');
    expect(svc(d, 'lb').target?.url).toBe('http://203.0.113.7:8080');
    expect(svc(d, 'cache').target?.url).toBeUndefined();
    expect(svc(d, 'cache').target?.todos.join()).toMatch(/no workload or Service named cache/);
    expect(d.namespaces).toEqual(['shop', 'edge']);
  });

  it("the public microservices demo: frontend's readiness path; a ClusterIP Service is a TODO with port-forward", () => {
    const d = draft(
      'services:\n  frontend: {image: shop/frontend:1, ports: ["8080:8080"]}\n  cartservice: {image: shop/cart:1, expose: ["7070"]}\n',
      readFileSync(join(F, 'manifests/microservices-demo-v0.10.6.yaml'), 'utf8'),
    );
    expect(svc(d, 'frontend').health).toMatchObject({ path: '/_healthz' });
    expect(svc(d, 'frontend').target?.url).toBeUndefined(); // frontend-external has no address in a manifest
    expect(svc(d, 'cartservice').target?.todos.join()).toMatch(
      /ClusterIP only.*port-forward -n default svc\/cartservice/,
    );
  });
});

describe('health paths from healthchecks', () => {
  it.each([
    [['CMD', 'curl', '-f', 'http://localhost:8000/health'], '/health', 8000],
    [['CMD-SHELL', 'wget --spider -q http://127.0.0.1/ready || exit 1'], '/ready', undefined],
    [
      ['CMD', 'node', '-e', "fetch('http://localhost:3000/api/ok').then(r=>process.exit(r.ok?0:1))"],
      '/api/ok',
      3000,
    ],
  ])('%j → %s', (test, path, port) => {
    expect(healthcheckPath(test)).toMatchObject({ path, ...(port ? { port } : {}) });
  });
  it('no URL, NONE, or a non-HTTP check: nothing', () => {
    expect(healthcheckPath(['NONE'])).toBeUndefined();
    expect(healthcheckPath(['CMD', 'pg_isready'])).toBeUndefined();
  });
});

describe('health paths below a routed prefix', () => {
  const API = `
services:
  proxy:
    image: traefik:v3.1
    command: ["--entrypoints.web.address=:80"]
    ports: ["80:80"]
  api:
    image: acme/api
    labels:
      - traefik.http.routers.api.rule=Host(\`api.shop.local\`) && PathPrefix(\`/v1\`)
      - traefik.http.routers.api.entrypoints=web
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:3000/v1/healthz"]
`;
  const INGRESS = (path: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: api, namespace: shop }
spec:
  rules:
    - host: api.shop.k8s.example
      http: { paths: [{ path: ${path}, pathType: Prefix, backend: { service: { name: api, port: { number: 3000 } } } }] }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 3000 }] }
`;

  it('takes the prefix the URLs carry off the health path, since the probe joins them (no /v1/v1/healthz)', () => {
    const api = svc(draft(API, INGRESS('/v1')), 'api');
    expect(api.baseline.url).toBe('http://api.shop.local/v1');
    expect(api.target?.url).toBe('http://api.shop.k8s.example/v1');
    expect(api.health.path).toBe('/healthz');
    expect(api.health.todos.join('\n')).toContain('/v1/healthz is written below the URL');
  });

  it('leaves the path and says so when the sides differ in prefix', () => {
    const api = svc(draft(API, INGRESS('/')), 'api');
    expect(api.health.path).toBe('/v1/healthz');
    expect(api.health.todos.join('\n')).toContain("the URLs' paths differ");
  });
});
