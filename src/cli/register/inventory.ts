// `cutover inventory`: its name, help text and flags. The implementation, src/cli/commands/inventory.ts,
// is imported only when the command runs: --help and the other commands never load its dependencies.
import type { Command } from 'commander';
import { type CommandContext, collect, flagsOf, jsonOption } from '../command-kit.js';
import type { InventoryFlags } from '../commands/inventory.js';

export function registerInventory(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('inventory')
    .description('Compose ↔ Kubernetes inventory parity, in kompose terms (offline on files, or a cluster)')
    .requiredOption('--compose <file>', 'the docker-compose.yml')
    .option('-f, --manifests <files...>', 'Kubernetes manifest files or folders (- for stdin)')
    .option('--context <name>', 'compare with a cluster instead, through this kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file (default $KUBECONFIG, ~/.kube/config)')
    .option('-n, --namespace <names>', 'namespaces to read with --context (repeatable)', collect)
    .option(
      '--profile <names>',
      'Compose profiles to enable (repeatable; default $COMPOSE_PROFILES)',
      collect,
    )
    .addOption(jsonOption())
    .action(async (_o, cmd: Command) => {
      const { inventoryCommand } = await import('../commands/inventory.js');
      setExit(await inventoryCommand(io, flagsOf<InventoryFlags>(cmd)));
    });
}
