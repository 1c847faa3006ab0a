// Host pinning, as `curl --resolve host:port:addr` does: connect to a chosen address while the request
// keeps its host name (Host header, TLS SNI). Lets the target be tested under production names before
// DNS moves.
import type { LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export type PinMap = Readonly<Record<string, string>>;

/** The pinned address for host (and port), or undefined. Exact `host:port` beats `host` beats `*.suffix`. */
export function pinnedAddress(pins: PinMap, host: string, port?: number | string): string | undefined {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (port !== undefined && pins[`${h}:${port}`]) return pins[`${h}:${port}`];
  if (pins[h]) return pins[h];
  let best: { suffix: string; address: string } | undefined;
  for (const [key, address] of Object.entries(pins)) {
    const [pattern, pinPort] = key.split(':') as [string, string | undefined];
    if (!pattern.startsWith('*.')) continue;
    if (pinPort !== undefined && String(port) !== pinPort) continue;
    const suffix = pattern.slice(1).toLowerCase();
    if (h.endsWith(suffix) && (!best || suffix.length > best.suffix.length)) best = { suffix, address };
  }
  return best?.address;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
type LookupFn = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for node:net/http that answers pinned names itself and leaves the rest to the system
 * resolver. Node calls it with `all: true` when happy-eyeballs is on, so both answer shapes are served.
 */
export function pinnedLookup(pins: PinMap, port: number | string | undefined, fallback: LookupFn): LookupFn {
  return (hostname, options, callback) => {
    const address = pinnedAddress(pins, hostname, port);
    if (!address) return fallback(hostname, options, callback);
    const family = isIP(address) === 6 ? 6 : 4;
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

// Loopback, private, shared (CGNAT) and link-local ranges: an address in one of them means the machine
// or network it is resolved on, so a pin to one cannot be handed to a load runner elsewhere (a pod in the
// cluster would reach itself or its own network). node:net's BlockList does the matching, IPv4-mapped
// IPv6 included.
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4');
INTERNAL.addAddress('::1', 'ipv6');
INTERNAL.addSubnet('fc00::', 7, 'ipv6');
INTERNAL.addSubnet('fe80::', 10, 'ipv6');

/** Whether an IP address is loopback, private or link-local (false for anything that is not an IP). */
export function isInternalAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  const family = isIP(a);
  if (family === 0) return false;
  return INTERNAL.check(a, family === 6 ? 'ipv6' : 'ipv4');
}
