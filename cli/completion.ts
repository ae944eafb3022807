import type { Command } from "commander";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** One command of the tree as completion needs it: its path of names, subcommands and flags. */
interface Node {
  path: string[];
  description: string;
  subcommands: string[];
  /** The values of its first argument, when they are fixed (`completion <shell>`). */
  argumentChoices: readonly string[] | undefined;
  flags: { name: string; description: string; choices: readonly string[] | undefined; takesValue: boolean }[];
}

function walk(command: Command, path: string[] = []): Node[] {
  const node: Node = {
    path,
    description: command.description(),
    subcommands: command.commands.map((c) => c.name()),
    argumentChoices: command.registeredArguments[0]?.argChoices,
    flags: command.options
      .filter((o) => o.long)
      .map((o) => ({
        name: o.long!,
        description: o.description,
        choices: o.argChoices ?? completionsOf(o.parseArg),
        takesValue: o.required || o.optional,
      })),
  };
  return [node, ...command.commands.flatMap((c) => walk(c, [...path, c.name()]))];
}

/** The values a flag's parser accepts, when it says (parse-options.ts, comma-separated lists of fixed values). */
function completionsOf(parse: unknown): readonly string[] | undefined {
  return (parse as { completions?: readonly string[] } | undefined)?.completions;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * bash: completes subcommands and flags for the words typed so far, and the allowed values after a flag with
 * choices (--priority, --format...). Generated from the program itself, so it never drifts from the commands.
 */
function bash(nodes: Node[], bin: string): string {
  const cases = nodes.map((node) => {
    const flags = [...node.flags.map((f) => f.name), "--help"].join(" ");
    const values = node.flags
      .filter((f) => f.choices)
      .map((f) => `        ${f.name}) COMPREPLY=($(compgen -W ${quote(f.choices!.join(" "))} -- "$cur")); return ;;`);
    // A command without subcommands takes its argument's fixed values, else files or free values (file completion).
    const fixed = node.subcommands.length > 0 ? node.subcommands : node.argumentChoices;
    const words = fixed ? `compgen -W ${quote(fixed.join(" "))} -- "$cur"` : `compgen -f -- "$cur"`;
    return [
      `    ${quote(node.path.join(" "))})`,
      ...(values.length > 0 ? ['      case "$prev" in', ...values, "      esac"] : []),
      `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${quote(flags)} -- "$cur")); else COMPREPLY=($(${words})); fi ;;`,
    ].join("\n");
  });
  return `# ${bin} completion for bash: eval "$(${bin} completion bash)" in ~/.bashrc
_${fn(bin)}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmdpath="" word candidate
${commandPathLoop(BASH_TYPED_WORDS, nodes)}
${cases.join("\n")}
  esac
}
complete -o filenames -F _${fn(bin)} ${bin}
`;
}

/** The words before the one being completed, as each shell names them. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: shell expansions, not templates
const BASH_TYPED_WORDS = '"${COMP_WORDS[@]:1:COMP_CWORD-1}"';
// biome-ignore lint/suspicious/noTemplateCurlyInString: shell expansions, not templates
const ZSH_TYPED_WORDS = '"${(@)words[2,CURRENT-1]}"';

/**
 * Shell lines (bash and zsh alike) that find the command being completed: the words typed so far that extend a
 * known command path ("tickets", then "tickets list"), skipping flags and their values. Named `cmdpath`: `path`
 * is zsh's own array for $PATH.
 */
function commandPathLoop(words: string, nodes: Node[]): string {
  const known = quote(`|${nodes.map((n) => n.path.join(" ")).join("|")}|`);
  return `  for word in ${words}; do
    [[ "$word" == -* ]] && continue
    candidate="\${cmdpath:+$cmdpath }$word"
    case ${known} in *"|$candidate|"*) cmdpath="$candidate" ;; esac
  done
  case "$cmdpath" in`;
}

function zsh(nodes: Node[], bin: string): string {
  const cases = nodes.map((node) => {
    const entries = [
      ...node.subcommands.map((s) => {
        const child = nodes.find((n) => n.path.join(" ") === [...node.path, s].join(" "));
        return `${s}:${(child?.description ?? "").replace(/:/g, "\\:")}`;
      }),
      ...node.flags.map((f) => `${f.name}:${f.description.replace(/:/g, "\\:")}`),
    ];
    const values = node.flags
      .filter((f) => f.choices)
      .map((f) => `        ${f.name}) compadd -- ${f.choices!.map(quote).join(" ")}; return ;;`)
      .join("\n");
    return `    ${quote(node.path.join(" "))})\n      case "$prev" in\n${values}\n      esac\n      items=(${entries.map(quote).join(" ")}) ;;`;
  });
  return `#compdef ${bin}
# ${bin} completion for zsh: eval "$(${bin} completion zsh)" in ~/.zshrc (after compinit)
_${fn(bin)}() {
  local prev="\${words[CURRENT-1]}" cmdpath="" word candidate
  local -a items
${commandPathLoop(ZSH_TYPED_WORDS, nodes)}
${cases.join("\n")}
  esac
  _describe 'command or flag' items
}
compdef _${fn(bin)} ${bin}
`;
}

function fish(nodes: Node[], bin: string): string {
  const lines = [`# ${bin} completion for fish: ${bin} completion fish > ~/.config/fish/completions/${bin}.fish`];
  lines.push(`complete -c ${bin} -f`);
  for (const node of nodes) {
    const condition =
      node.path.length === 0
        ? "__fish_use_subcommand"
        : `__fish_seen_subcommand_from ${node.path.at(-1)}${node.path.length > 1 ? `; and __fish_seen_subcommand_from ${node.path[0]}` : ""}`;
    for (const sub of node.subcommands) {
      const child = nodes.find((n) => n.path.join(" ") === [...node.path, sub].join(" "));
      lines.push(`complete -c ${bin} -n ${quote(condition)} -a ${sub} -d ${quote(child?.description ?? "")}`);
    }
    if (node.path.length === 0) continue;
    for (const flag of node.flags) {
      const values = flag.choices ? ` -x -a ${quote(flag.choices.join(" "))}` : flag.takesValue ? " -r" : "";
      lines.push(
        `complete -c ${bin} -n ${quote(condition)} -l ${flag.name.slice(2)}${values} -d ${quote(flag.description)}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

const fn = (bin: string) => bin.replace(/[^a-zA-Z0-9]/g, "_");

/** The completion script for `shell`, from the whole program (every command loaded). */
export function completionScript(program: Command, shell: Shell): string {
  const nodes = walk(program);
  const bin = program.name();
  if (shell === "bash") return bash(nodes, bin);
  if (shell === "zsh") return zsh(nodes, bin);
  return fish(nodes, bin);
}
