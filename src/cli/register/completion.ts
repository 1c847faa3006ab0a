// `cutover completion bash|zsh`: prints a completion script generated from the registered commands.
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { CommandContext } from '../command-kit.js';
import { bashCompletion, completionTree, zshCompletion } from '../completion.js';

export function registerCompletion(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('completion')
    .argument('<shell>', 'bash or zsh')
    .description('print a shell completion script: source <(cutover completion bash)')
    .action((shell: string) => {
      const tree = completionTree(program);
      if (shell === 'bash') io.stdout(bashCompletion(tree));
      else if (shell === 'zsh') io.stdout(zshCompletion(tree));
      else throw new UserError(`completion ${shell}: unknown shell; expected bash or zsh`);
      setExit(0);
    });
}
