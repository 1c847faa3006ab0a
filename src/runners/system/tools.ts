// What this machine has of the tools Cutover runs, found by running each one's own version command.
import { execFile } from 'node:child_process';

export interface ToolCheck {
  name: string;
  /** What in Cutover needs it. */
  neededFor: string;
  found: boolean;
  version?: string;
  detail?: string;
}

interface ToolSpec {
  name: string;
  neededFor: string;
  commands: [string, string[]][];
  parse?: (out: string) => string;
}

const firstLine = (out: string) => out.trim().split('\n')[0]?.trim() ?? '';

// Only what Cutover itself runs: k6, for `--engine k6`, the Prometheus and Alertmanager `cutover demo`
// starts for the monitoring suite, and the Chromium the browser suite drives. The Kubernetes checks talk
// to the API through client-node (no kubectl), and the database tools its tests start are the tests' own;
// a suite that comes to run a tool adds it here, with what needs it.
export const TOOLS: ToolSpec[] = [
  {
    name: 'k6',
    neededFor: '--engine k6 (the embedded engine needs nothing)',
    commands: [['k6', ['version']]],
  },
  {
    name: 'prometheus',
    neededFor: "cutover demo's monitoring suite (without it, the monitoring criteria are INCONCLUSIVE)",
    commands: [['prometheus', ['--version']]],
  },
  {
    name: 'prometheus-alertmanager',
    neededFor: "cutover demo's monitoring suite (without it, the monitoring criteria are INCONCLUSIVE)",
    commands: [['prometheus-alertmanager', ['--version']]],
  },
  {
    name: 'chromium',
    neededFor: "the browser suite (--suite browser; browser.executablePath, Debian's chromium by default)",
    commands: [['chromium', ['--version']]],
  },
];

function run(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5000, env: { ...process.env, LANG: 'C' } }, (error, stdout, stderr) => {
      if (error && !stdout) resolve(undefined);
      else resolve(firstLine(stdout || stderr));
    });
  });
}

export async function checkTool(spec: ToolSpec): Promise<ToolCheck> {
  for (const [cmd, args] of spec.commands) {
    const out = await run(cmd, args);
    if (out !== undefined)
      return {
        name: spec.name,
        neededFor: spec.neededFor,
        found: true,
        version: spec.parse ? spec.parse(out) : out,
      };
  }
  return {
    name: spec.name,
    neededFor: spec.neededFor,
    found: false,
    detail: `none of ${spec.commands.map((c) => c[0]).join(', ')} on PATH`,
  };
}

export function checkTools(): Promise<ToolCheck[]> {
  return Promise.all(TOOLS.map(checkTool));
}

/** Node's version against the supported range (>= 20.19, 22, 24). */
export function nodeSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 19);
}
