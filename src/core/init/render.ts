// The draft as the `cutover.config.ts` a user keeps and edits: typed through defineConfig, one line per
// URL with where it came from, and a `// TODO` wherever the files did not say — placeholders that load
// and run (a TODO service is left out of that environment, never given a guessed URL), so the smoke suite
// runs at once and the TODOs are settled one by one. Also the list of TODOs for the terminal.
import { PUBLISHED_HOST } from './baseline.js';
import type { Draft, DraftService } from './draft.js';

export interface RenderOptions {
  /** The Compose file, relative to the config's folder (`./docker-compose.yml`). */
  composeFile: string;
  /** Where the target's objects came from, for the header (`k8s/`, `the cluster (context prod)`). */
  targetSource?: string;
  /** The kubeconfig context; undefined when none was given (a TODO). */
  context?: string;
  /** A kubeconfig file, relative to the config's folder, when one was named. */
  kubeconfig?: string;
  /** Namespaces given on the command line; else the draft's, else a TODO. */
  namespaces?: readonly string[];
}

export interface Rendered {
  source: string;
  /** Each TODO, `where: what`, for the summary on stderr. */
  todos: string[];
}

/** A single-quoted TypeScript string. */
const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
const key = (s: string) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : str(s));
/** One line of comment text: whatever the files held, it cannot end the comment or start code. */
const text = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

export function renderConfig(draft: Draft, o: RenderOptions): Rendered {
  const todos: string[] = [];
  const out: string[] = [];
  const line = (indent: number, s: string) => out.push(`${'  '.repeat(indent)}${s}`);
  const todo = (indent: number, where: string, what: string) => {
    todos.push(`${where}: ${text(what)}`);
    line(indent, `// TODO ${where}: ${text(what)}`);
  };
  const http = draft.services.filter((s) => !s.nonHttp);
  // A config needs one service at least: if nothing looks like HTTP, keep them all and say so.
  const declared = http.length > 0 ? http : draft.services;
  const skipped = draft.services.filter((s) => !declared.includes(s));

  line(
    0,
    `// cutover.config.ts, written by \`cutover init\` from ${o.composeFile}${o.targetSource ? ` and ${o.targetSource}` : ''}.`,
  );
  line(0, '// Each TODO names something neither file said. Settle them, then:');
  line(0, '//   cutover doctor              do the endpoints answer?');
  line(0, '//   cutover run --suite smoke   every service healthy on both sides?');
  line(0, "// Every field and its default: Cutover's docs/configuration.md.");
  line(0, "import { defineConfig } from 'cutover';");
  line(0, '');
  line(0, 'export default defineConfig({');
  line(1, `project: ${str(draft.project)},`);
  line(1, 'environments: {');
  line(2, 'baseline: {');
  line(3, "kind: 'compose',");
  line(3, `composeFile: ${str(o.composeFile)},`);
  line(
    3,
    `// Published ports are reached on this machine (${PUBLISHED_HOST}); where Compose runs elsewhere, use that host.`,
  );
  line(3, '// Host names pinned to addresses, as `curl --resolve` does: { host: address }.');
  line(3, 'resolve: {},');
  line(3, 'services: {');
  for (const s of declared) {
    if (s.baseline.url) {
      line(4, `${key(s.id)}: { url: ${str(s.baseline.url)} }, // ${text(s.baseline.how ?? '')}`);
      for (const t of s.baseline.todos) todo(4, `${s.id} (baseline)`, t);
    } else {
      for (const t of s.baseline.todos) todo(4, `${s.id} (baseline)`, t);
      line(4, `// ${key(s.id)}: { url: 'http://…' },`);
    }
  }
  line(3, '},');
  line(2, '},');
  line(2, 'target: {');
  line(3, "kind: 'kubernetes',");
  if (o.kubeconfig) line(3, `kubeconfig: ${str(o.kubeconfig)},`);
  if (o.context) line(3, `context: ${str(o.context)},`);
  else {
    todo(3, 'target', 'the kubeconfig context of the target cluster (cutover init --context NAME reads it)');
    line(3, "context: 'TODO',");
  }
  const namespaces = o.namespaces?.length ? o.namespaces : draft.namespaces;
  if (namespaces.length > 0) line(3, `namespaces: [${namespaces.map(str).join(', ')}],`);
  else {
    todo(3, 'target', 'the namespaces the services run in');
    line(3, "namespaces: ['default'],");
  }
  line(3, '// Host names pinned to addresses, as `curl --resolve` does: { host: address }.');
  line(3, 'resolve: {},');
  line(3, 'services: {');
  for (const s of declared) {
    if (!s.target) {
      todo(
        4,
        `${s.id} (target)`,
        'its URL on the target (cutover init -f MANIFESTS or --context reads them)',
      );
      line(4, `// ${key(s.id)}: { url: 'https://…' },`);
    } else if (s.target.url) {
      line(4, `${key(s.id)}: { url: ${str(s.target.url)} }, // ${text(s.target.how ?? '')}`);
      for (const t of s.target.todos) todo(4, `${s.id} (target)`, t);
    } else {
      for (const t of s.target.todos) todo(4, `${s.id} (target)`, t);
      line(4, `// ${key(s.id)}: { url: 'https://…' },`);
    }
  }
  line(3, '},');
  line(2, '},');
  line(1, '},');
  line(1, 'services: {');
  for (const s of declared) renderService(s, line, todo);
  line(1, '},');
  for (const s of skipped)
    line(
      1,
      `// ${s.id}${s.image ? ` (${text(s.image)})` : ''}: left out, ${text(s.nonHttp ?? '')}; the smoke suite checks HTTP.`,
    );
  if (draft.inactive.length > 0)
    line(
      1,
      `// Left out (Compose profile not enabled; cutover init --profile NAME): ${draft.inactive.map((i) => `${i.name} [${i.profiles.join(', ')}]`).join(', ')}.`,
    );
  if (draft.unsetVariables.length > 0)
    line(
      1,
      `// Variables the Compose file uses that were not set when this was written: ${draft.unsetVariables.join(', ')}.`,
    );
  line(0, '});');
  return { source: `${out.join('\n')}\n`, todos };
}

function renderService(
  s: DraftService,
  line: (indent: number, s: string) => void,
  todo: (indent: number, where: string, what: string) => void,
): void {
  line(2, `${key(s.id)}: {`);
  if (s.id !== s.composeName) line(3, `// Compose service ${text(s.composeName)}`);
  line(
    3,
    `tier: ${str(s.tier)}, // ${s.tierFrom ? `from "${text(s.tierFrom)}" in its name or image` : 'nothing in its name or image said otherwise'}`,
  );
  todo(3, `${s.id}`, `the migration phase that moves it (${s.phase} assumed for ${s.tier})`);
  line(3, `phase: ${s.phase},`);
  if (s.phase === 3)
    line(3, `// wave: '${s.id.split('-')[0]}', // the wave within phase 3, if the plan has waves`);
  if (!s.public)
    line(3, 'public: false, // no published port, ingress route or Traefik router on either side');
  for (const t of s.health.todos) todo(3, `${s.id} health`, t);
  line(3, `health: { path: ${str(s.health.path)} },${s.health.from ? ` // from ${s.health.from}` : ''}`);
  line(2, '},');
}
