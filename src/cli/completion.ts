// Shell completion for bash and zsh, generated from the commands as registered (so a new command or flag
// completes without anyone editing a script): `cutover completion bash` / `cutover completion zsh`.
// Hand-written rather than a library: commander has no completion of its own, and the two small scripts
// below are all a shell needs — command names, subcommand names, each command's long flags, files after
// flags that take a path.
import type { Command } from 'commander';

/** A command as completion sees it. */
export interface CompletionNode {
  name: string;
  description: string;
  /** Long flags, such as `--env`. */
  flags: string[];
  /** Flags whose value is a file or folder path. */
  pathFlags: string[];
  commands: CompletionNode[];
}

const PATH_FLAG = /^--(config|output|manifests|kubeconfig|k6|scenario-file|compose|file)$/;

/** The command tree, read from commander's registration. */
export function completionTree(cmd: Command): CompletionNode {
  const flags = cmd.options.map((o) => o.long).filter((l): l is string => l !== undefined);
  return {
    name: cmd.name(),
    description: cmd.description(),
    flags,
    pathFlags: flags.filter((f) => PATH_FLAG.test(f)),
    commands: cmd.commands
      .filter((c) => !(c as unknown as { _hidden?: boolean })._hidden)
      .map(completionTree),
  };
}

const words = (list: readonly string[]) => list.join(' ');
const zshQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The program's own flags a subcommand line takes too (--version and --help belong to the bare program). */
const globalFlags = (root: CompletionNode) => root.flags.filter((f) => f !== '--version');

export function bashCompletion(root: CompletionNode): string {
  const global = words(globalFlags(root));
  const cases: string[] = [];
  for (const c of root.commands) {
    cases.push(
      `    ${c.name}) opts="${words(c.flags)} ${global}"; subs="${words(c.commands.map((s) => s.name))}"; paths="${words([...c.pathFlags, ...root.pathFlags])}" ;;`,
    );
    for (const s of c.commands)
      cases.push(
        `    "${c.name} ${s.name}") opts="${words(s.flags)} ${global}"; subs=""; paths="${words([...s.pathFlags, ...root.pathFlags])}" ;;`,
      );
  }
  return `# cutover completion for bash: source <(cutover completion bash), or save it to
# /etc/bash_completion.d/cutover (or ~/.local/share/bash-completion/completions/cutover).
_cutover() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmd="" sub="" i w opts subs paths
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case "\${COMP_WORDS[i-1]}" in ${root.flags.filter((f) => f !== '--version' && f !== '--help' && f !== '--no-color').join('|') || '--config'}) continue ;; esac
    if [ -z "$cmd" ]; then cmd="$w"; elif [ -z "$sub" ]; then sub="$w"; break; fi
  done
  case "$cmd" in
    "") COMPREPLY=( $(compgen -W "${words(root.commands.map((c) => c.name))} ${words(root.flags)} --help" -- "$cur") ); return ;;
  esac
  local key="$cmd"
  [ -n "$sub" ] && key="$cmd $sub"
  case "$key" in
${cases.join('\n')}
    *) opts="${global}"; subs=""; paths="" ;;
  esac
  for w in $paths; do
    if [ "$prev" = "$w" ]; then COMPREPLY=( $(compgen -f -- "$cur") ); return; fi
  done
  if [[ "$cur" == -* ]] || [ -z "$subs" ]; then
    COMPREPLY=( $(compgen -W "$opts --help" -- "$cur") )
  else
    COMPREPLY=( $(compgen -W "$subs" -- "$cur") )
  fi
}
complete -o default -F _cutover cutover
`;
}

export function zshCompletion(root: CompletionNode): string {
  const zshEntries = (nodes: CompletionNode[]) =>
    nodes.map((n) => `    ${zshQuote(`${n.name.replace(/:/g, '\\:')}:${n.description}`)}`).join('\n');
  const args = (n: CompletionNode) =>
    [...n.flags, ...globalFlags(root)]
      .map((f) =>
        n.pathFlags.includes(f) || root.pathFlags.includes(f) ? `'${f}=[]:path:_files'` : `'${f}'`,
      )
      .join(' ');
  const cases = root.commands.map((c) => {
    if (c.commands.length === 0) return `    ${c.name}) _arguments ${args(c)} '*:file:_files' ;;`;
    const subs = c.commands
      .map((s) => `        ${s.name}) _arguments ${args(s)} '*:file:_files' ;;`)
      .join('\n');
    return `    ${c.name})
      if (( CURRENT == 3 )); then
        local -a subs; subs=(
${zshEntries(c.commands).replace(/^ {4}/gm, '          ')}
        ); _describe 'subcommand' subs; return
      fi
      case $words[3] in
${subs}
      esac ;;`;
  });
  return `#compdef cutover
# cutover completion for zsh: source <(cutover completion zsh) after compinit, or save it as _cutover in
# a folder on $fpath.
_cutover() {
  if (( CURRENT == 2 )); then
    local -a commands; commands=(
${zshEntries(root.commands)}
    ); _describe 'command' commands; return
  fi
  case $words[2] in
${cases.join('\n')}
  esac
}
if [ "$funcstack[1]" = "_cutover" ]; then _cutover "$@"; else compdef _cutover cutover; fi
`;
}
