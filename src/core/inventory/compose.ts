// A docker-compose.yml read into what inventory parity compares, following the Compose
// Specification: `extends` (same file or another), profiles (services with profiles are inactive
// unless a profile is enabled, as `docker compose up` does), `env_file`, short and long port syntax,
// named volumes vs bind mounts vs tmpfs, healthchecks, replicas and resource limits. YAML merge
// keys (`<<: *fragment`) are resolved as Compose resolves them, then values are interpolated from
// the environment and the `.env` beside the Compose file (./interpolation.ts). Pure: the caller
// supplies the text, the environment and a reader for the files it references. Environment VALUES
// are read only to resolve names; only names leave this module.
import { parse } from 'yaml';
import { DotenvError, envFileNames, parseDotenv } from './dotenv.js';
import { InterpolationError, interpolateValues, type Lookup, lookupIn } from './interpolation.js';

export interface ComposePort {
  target: number;
  published?: number;
  protocol: 'tcp' | 'udp';
}

export interface ComposeVolume {
  type: 'volume' | 'bind' | 'tmpfs';
  source?: string;
  target: string;
}

export interface ComposeService {
  name: string;
  image?: string;
  build: boolean;
  ports: ComposePort[];
  /** `expose:` ports: internal, no published port. */
  expose: number[];
  envNames: string[];
  volumes: ComposeVolume[];
  healthcheck: boolean;
  replicas: number;
  limits: { cpus?: number; memoryBytes?: number };
  profiles: string[];
  /** Labels (Traefik's routers among them), values interpolated; `cutover init` reads the routes. */
  labels: Record<string, string>;
  /** The healthcheck's test in exec form (`CMD-SHELL` for a string), for the health path it probes. */
  healthcheckTest?: string[];
  /** `command:` as a list of arguments (Traefik's static configuration flags live here). */
  command?: string[];
}

export interface ComposeModel {
  /** The top-level `name:` (the Compose project's name), when the file sets one. */
  name?: string;
  services: ComposeService[];
  /** Services left out because none of their profiles is enabled. */
  inactive: { name: string; profiles: string[] }[];
  /** Things that could not be read completely, named for the report (never values). */
  warnings: string[];
  /**
   * Variables the file uses that are set nowhere, so Compose substitutes "" for them (and warns).
   * The file is still read completely, as Compose reads it: a note, not a warning.
   */
  unsetVariables: string[];
}

export class ComposeError extends Error {}

export type FileReader = (relativePath: string) => string | undefined;

// biome-ignore lint/suspicious/noExplicitAny: compose files are free-form YAML
type Json = Record<string, any>;

function parsePortRange(text: string): number[] {
  const [a, b] = text.split('-').map(Number);
  if (!Number.isInteger(a)) return [];
  if (b === undefined) return [a!];
  if (!Number.isInteger(b) || b < a! || b - a! > 1000) return [];
  return Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
}

/** Short syntax: `80`, `8000:80`, `127.0.0.1:8000:80/udp`, `3000-3005`, `[::1]:8000:80`. */
export function parsePorts(entry: unknown): ComposePort[] {
  if (typeof entry === 'number') return [{ target: entry, protocol: 'tcp' }];
  if (entry && typeof entry === 'object') {
    const e = entry as Json;
    const target = Number(e.target);
    if (!Number.isInteger(target)) return [];
    const published = e.published === undefined ? undefined : Number(String(e.published).split('-')[0]);
    return [
      {
        target,
        ...(published !== undefined && Number.isInteger(published) ? { published } : {}),
        protocol: e.protocol === 'udp' ? 'udp' : 'tcp',
      },
    ];
  }
  if (typeof entry !== 'string') return [];
  const [spec, proto] = entry.split('/') as [string, string | undefined];
  const protocol = proto === 'udp' ? 'udp' : 'tcp';
  const withoutIp = spec.replace(/^\[[^\]]+\]:/, '').replace(/^\d+\.\d+\.\d+\.\d+:/, '');
  const parts = withoutIp.split(':');
  const targets = parsePortRange(parts.at(-1)!);
  const published = parts.length > 1 && parts[0] !== '' ? parsePortRange(parts[0]!) : [];
  return targets.map((target, i) => ({
    target,
    ...(published[i] !== undefined ? { published: published[i] } : {}),
    protocol,
  }));
}

function parseVolume(entry: unknown, namedVolumes: ReadonlySet<string>): ComposeVolume | undefined {
  if (entry && typeof entry === 'object') {
    const e = entry as Json;
    if (!e.target) return undefined;
    const type = e.type === 'bind' ? 'bind' : e.type === 'tmpfs' ? 'tmpfs' : 'volume';
    return { type, target: String(e.target), ...(e.source ? { source: String(e.source) } : {}) };
  }
  if (typeof entry !== 'string') return undefined;
  const parts = entry.split(':');
  if (parts.length === 1) return { type: 'volume', target: parts[0]! };
  const source = parts[0]!;
  // A path is a bind mount; a name is a volume (Compose requires it under top-level volumes:).
  const bind = /^[./~$]/.test(source) && !namedVolumes.has(source);
  return { type: bind ? 'bind' : 'volume', source, target: parts[1]! };
}

/** Compose's memory units: bytes with b, k, m, g suffixes (binary multiples), case-insensitive. */
export function parseComposeBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)i?b?$/i.exec(value.trim());
  if (!m) return undefined;
  const power = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4 }[m[2]!.toLowerCase() as 'k'] ?? 0;
  return Math.round(Number(m[1]) * 1024 ** power);
}

// `extends` concatenates sequences; Compose then de-duplicates them, so do the same.
function uniquePorts(ports: ComposePort[]): ComposePort[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const key = `${p.published ?? ''}:${p.target}/${p.protocol}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const MERGE_MAPS = new Set(['environment', 'labels', 'deploy', 'healthcheck', 'logging']);
const MERGE_SEQS = new Set(['ports', 'expose', 'volumes', 'env_file', 'dns', 'extra_hosts']);

function toMap(env: unknown): Json {
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((e) => {
        const s = String(e);
        const eq = s.indexOf('=');
        return eq < 0 ? [s, null] : [s.slice(0, eq), s.slice(eq + 1)];
      }),
    );
  }
  return env && typeof env === 'object' ? (env as Json) : {};
}

function mergeService(base: Json, local: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(local)) {
    if (k === 'extends') continue;
    if (MERGE_MAPS.has(k)) out[k] = { ...toMap(base[k]), ...toMap(v) };
    else if (MERGE_SEQS.has(k) && Array.isArray(v) && Array.isArray(base[k])) out[k] = [...base[k], ...v];
    else out[k] = v;
  }
  return out;
}

interface Context {
  read: FileReader;
  lookup: Lookup;
  /** Variables substituted as "" because they are not set (Compose warns about each). */
  unset: Set<string>;
  warnings: string[];
}

// The `yaml` package's guard against alias bombs counts every use of an anchor; its default (100)
// would refuse an honest file with a `<<: *defaults` in each of 100 services, so allow more: a
// bomb still multiplies past this within a few levels.
const MAX_ALIAS_COUNT = 10_000;

/**
 * One Compose file's YAML as Compose reads it: merge keys (`<<: *a`, `<<: [*a, *b]`) resolved —
 * keys written in the mapping win over merged ones, and earlier sources over later ones.
 */
function parseYaml(text: string, file: string): unknown {
  try {
    return parse(text, { merge: true, maxAliasCount: MAX_ALIAS_COUNT, logLevel: 'error' });
  } catch (error) {
    throw new ComposeError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Every value (never a key) interpolated; a value Compose would refuse is a ComposeError naming it. */
function interpolateFile(raw: unknown, file: string, ctx: Context): unknown {
  try {
    return interpolateValues(raw, ctx.lookup, (name) => ctx.unset.add(name));
  } catch (error) {
    if (error instanceof InterpolationError) throw new ComposeError(`${file}: ${error.message}`);
    throw error;
  }
}

function resolveExtends(name: string, services: Json, file: string, ctx: Context, seen: string[]): Json {
  const service = services[name] as Json | undefined;
  if (!service) throw new ComposeError(`${file}: service "${name}" is extended but not defined`);
  const ext = service.extends;
  if (!ext) return service;
  const key = `${file}#${name}`;
  if (seen.includes(key)) throw new ComposeError(`${file}: extends cycle ${[...seen, key].join(' → ')}`);
  const baseName = typeof ext === 'string' ? ext : String(ext.service ?? '');
  const baseFile = typeof ext === 'object' && ext.file ? String(ext.file) : undefined;
  let base: Json;
  if (baseFile) {
    const text = ctx.read(baseFile);
    if (text === undefined)
      throw new ComposeError(`${file}: service "${name}" extends ${baseFile}, which cannot be read`);
    const doc = interpolateFile(parseYaml(text, baseFile), baseFile, ctx) as Json | null;
    base = resolveExtends(baseName, (doc?.services ?? {}) as Json, baseFile, ctx, [...seen, key]);
  } else {
    base = resolveExtends(baseName, services, file, ctx, [...seen, key]);
  }
  return mergeService(base, service);
}

export interface ComposeOptions {
  /** Name of the compose file, for messages. */
  file: string;
  /** Reads files the compose file names (env files, extended files, `.env`), relative to it. */
  read: FileReader;
  /** Enabled profiles (`--profile`, COMPOSE_PROFILES). */
  profiles?: readonly string[];
  /**
   * The environment interpolation reads first (the process environment); the `.env` beside the
   * Compose file fills in what it does not set, as `docker compose` does.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** `COMPOSE_DISABLE_ENV_FILE=1|true` tells Compose not to read the project's `.env`. */
function envFileDisabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return /^(1|t|true)$/i.test(env.COMPOSE_DISABLE_ENV_FILE ?? '');
}

/** Variables for interpolation: the environment first, then the `.env` beside the Compose file. */
function variables(options: ComposeOptions): Lookup {
  const env = options.env ?? {};
  const fromEnv = lookupIn(env);
  const text = envFileDisabled(env) ? undefined : options.read('.env');
  if (text === undefined) return fromEnv;
  let dotenv: Map<string, string>;
  try {
    dotenv = parseDotenv(text, { lookup: fromEnv, interpolate: true });
  } catch (error) {
    if (error instanceof DotenvError) throw new ComposeError(`.env beside ${options.file}: ${error.message}`);
    throw error;
  }
  return (name) => fromEnv(name) ?? dotenv.get(name);
}

export function readCompose(text: string, options: ComposeOptions): ComposeModel {
  const ctx: Context = { read: options.read, lookup: variables(options), unset: new Set(), warnings: [] };
  const raw = parseYaml(text, options.file) as Json | null;
  if (!raw || typeof raw !== 'object' || !raw.services || typeof raw.services !== 'object') {
    throw new ComposeError(`${options.file}: no services: mapping (is this a docker-compose file?)`);
  }
  const doc = interpolateFile(raw, options.file, ctx) as Json;
  const named = new Set(Object.keys((doc.volumes ?? {}) as Json));
  const enabled = new Set(options.profiles ?? []);
  const services: ComposeService[] = [];
  const inactive: ComposeModel['inactive'] = [];

  for (const name of Object.keys(doc.services as Json)) {
    const s = resolveExtends(name, doc.services as Json, options.file, ctx, []);
    const profiles: string[] = Array.isArray(s.profiles) ? s.profiles.map(String) : [];
    if (profiles.length > 0 && !profiles.some((p) => enabled.has(p) || enabled.has('*'))) {
      inactive.push({ name, profiles });
      continue;
    }
    const envNames = new Set(Object.keys(toMap(s.environment)));
    const envFiles = s.env_file === undefined ? [] : Array.isArray(s.env_file) ? s.env_file : [s.env_file];
    for (const f of envFiles) {
      const path = typeof f === 'string' ? f : String(f?.path ?? '');
      const required = typeof f === 'object' ? f?.required !== false : true;
      const content = options.read(path);
      if (content === undefined) {
        if (required)
          ctx.warnings.push(
            `service ${name}: env_file ${path} cannot be read; its variable names are unknown`,
          );
        continue;
      }
      try {
        for (const n of envFileNames(content)) envNames.add(n);
      } catch (error) {
        if (error instanceof DotenvError)
          throw new ComposeError(`${options.file}: service ${name}: env_file ${path}: ${error.message}`);
        throw error;
      }
    }
    // Compose refuses such a service; reading on would compare nothing and call it matched.
    if (!s.image && s.build === undefined && s.provider === undefined)
      throw new ComposeError(
        `${options.file}: service ${name} has neither an image nor a build context (Compose refuses it)`,
      );
    const deploy = (s.deploy ?? {}) as Json;
    const healthTest = s.healthcheck?.test;
    const limits = (deploy.resources?.limits ?? {}) as Json;
    const cpus = Number(limits.cpus ?? s.cpus);
    const memoryBytes = parseComposeBytes(limits.memory ?? s.mem_limit);
    services.push({
      name,
      ...(s.image ? { image: String(s.image) } : {}),
      build: s.build !== undefined,
      ports: uniquePorts((Array.isArray(s.ports) ? s.ports : []).flatMap(parsePorts)),
      expose: [
        ...new Set<number>(
          (Array.isArray(s.expose) ? s.expose : []).flatMap((e: unknown) =>
            parsePortRange(String(e).split('/')[0]!),
          ),
        ),
      ],
      envNames: [...envNames].sort(),
      volumes: (Array.isArray(s.volumes) ? s.volumes : [])
        .map((v: unknown) => parseVolume(v, named))
        .filter((v: ComposeVolume | undefined): v is ComposeVolume => v !== undefined),
      healthcheck:
        Boolean(s.healthcheck) &&
        s.healthcheck.disable !== true &&
        !(Array.isArray(s.healthcheck.test) && s.healthcheck.test[0] === 'NONE'),
      replicas: Number(deploy.replicas ?? s.scale ?? 1),
      limits: {
        ...(Number.isFinite(cpus) ? { cpus } : {}),
        ...(memoryBytes !== undefined ? { memoryBytes } : {}),
      },
      profiles,
      labels: Object.fromEntries(
        Object.entries(toMap(s.labels)).map(([k, v]) => [k, v === null ? '' : String(v)]),
      ),
      ...(Array.isArray(healthTest)
        ? { healthcheckTest: healthTest.map(String) }
        : typeof healthTest === 'string'
          ? { healthcheckTest: ['CMD-SHELL', healthTest] }
          : {}),
      ...(Array.isArray(s.command)
        ? { command: s.command.map(String) }
        : typeof s.command === 'string'
          ? { command: s.command.split(/\s+/).filter(Boolean) }
          : {}),
    });
  }
  return {
    ...(typeof doc.name === 'string' && doc.name ? { name: doc.name } : {}),
    services,
    inactive,
    warnings: ctx.warnings,
    unsetVariables: [...ctx.unset].sort(),
  };
}
