// `cutover security`: its name, help text and flags. The implementation, src/cli/commands/security.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import { type Command, Option } from 'commander';
import { SEVERITIES } from '../../core/security/finding.js';
import { type CommandContext, collect, flagsOf, jsonOption } from '../command-kit.js';
import type { KubeBenchFlags, PostureFlags } from '../commands/security.js';

const failOnOption = () =>
  new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe')
    .choices([...SEVERITIES, 'none'])
    .default('high');

export function registerSecurity(program: Command, { io, setExit }: CommandContext): void {
  const security = program
    .command('security')
    .description('workload posture of manifests or a cluster, and kube-bench results (offline)');
  security
    .command('posture')
    .description(
      'Pod Security Standards, resources, probes, image tags, secrets in env, NetworkPolicies, PSA labels, RBAC',
    )
    .option(
      '-f, --manifests <files...>',
      'manifest files or folders (- for stdin, e.g. helm template … | cutover security posture -m -)',
    )
    .option('--context <name>', 'read a cluster instead, through this kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file (default $KUBECONFIG, ~/.kube/config)')
    .option('-n, --namespace <names>', 'application namespaces to read with --context (repeatable)', collect)
    .addOption(failOnOption())
    .addOption(jsonOption())
    .action(async (_o, cmd: Command) => {
      const { postureCommand } = await import('../commands/security.js');
      setExit(await postureCommand(io, flagsOf<PostureFlags>(cmd)));
    });
  security
    .command('kube-bench')
    .description('read a kube-bench --json output (any kube-bench version) into findings')
    .requiredOption('--import <file>', 'the kube-bench JSON (or a pod log containing it; - for stdin)')
    .addOption(failOnOption())
    .addOption(jsonOption())
    .action(async (_o, cmd: Command) => {
      const { kubeBenchCommand } = await import('../commands/security.js');
      setExit(await kubeBenchCommand(io, flagsOf<KubeBenchFlags>(cmd)));
    });
}
