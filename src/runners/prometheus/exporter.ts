// Serves a prom-client registry on `/metrics` over HTTP, for Cutover's own metrics (`cutover watch`).
// Bound to loopback unless the user names another address: a watch's figures describe production
// traffic and are nobody else's business by default. `host:port`, port 0 for a free one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { UserError } from '../../core/errors.js';

export interface MetricsServer {
  /** `http://host:port`, the port as bound. */
  url: string;
  close(): Promise<void>;
}

/** `127.0.0.1:9470`, `[::1]:9470`, `0.0.0.0:9470`, or `:9470` (loopback). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65_535))
    throw new UserError(`metrics address "${text}": expected host:port such as 127.0.0.1:9470`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

export function serveMetrics(registry: Registry, listen: string): Promise<MetricsServer> {
  const { host, port } = parseListen(listen);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain' });
      res.end(path === '/metrics' ? 'method not allowed\n' : 'not found; the metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`metrics failed: ${String(error)}\n`);
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UserError(
          `cannot serve the watch's metrics on ${listen}: ${error.code ?? error.message}${error.code === 'EADDRINUSE' ? ' (the port is taken; give another with --metrics-listen, or --no-metrics)' : ''}`,
        ),
      ),
    );
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shown}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
