// `cutover init`: its name, help text and flags. The implementation, src/cli/commands/init.ts, is
// imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, collect, flagsOf } from '../command-kit.js';
import type { InitFlags } from '../commands/init.js';

export function registerInit(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('init')
    .description(
      'write a first cutover.config.ts from a Compose file and the target cluster (or its manifests), TODOs where nothing says',
    )
    .requiredOption('--compose <file>', 'the docker-compose.yml the baseline runs')
    .option('-f, --manifests <files...>', "the target's Kubernetes manifest files or folders (- for stdin)")
    .option(
      '--context <name>',
      "read the target's Ingresses, IngressRoutes and Services from this kubeconfig context",
    )
    .option('--kubeconfig <file>', 'kubeconfig file (default $KUBECONFIG, ~/.kube/config)')
    .option(
      '-n, --namespace <names>',
      'namespaces to read with --context (repeatable; default every namespace but kube-*)',
      collect,
    )
    .option(
      '--profile <names>',
      'Compose profiles to enable (repeatable; default $COMPOSE_PROFILES)',
      collect,
    )
    .option('--dry-run', 'print the config on stdout and write nothing')
    .option('--force', 'replace an existing config')
    .action(async (_o, cmd: Command) => {
      const { initCommand } = await import('../commands/init.js');
      setExit(await initCommand(io, flagsOf<InitFlags>(cmd)));
    });
}
