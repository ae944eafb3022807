import { Argument, type Command } from "commander";
import { summaryOf } from "../command-list.js";
import { completionScript, SHELLS, type Shell } from "../completion.js";
import type { LoadConfig } from "../context.js";
import { printText } from "../io.js";

export function registerCompletionCommand(program: Command, loadConfig: LoadConfig): void {
  program
    .command("completion")
    .description(summaryOf("completion"))
    .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(SHELLS))
    .addHelpText(
      "after",
      `
Install:
  bash  eval "$(feedback-cli completion bash)"     in ~/.bashrc
  zsh   eval "$(feedback-cli completion zsh)"      in ~/.zshrc, after compinit
  fish  feedback-cli completion fish > ~/.config/fish/completions/feedback-cli.fish`,
    )
    .action(async (shell: Shell) => {
      // Completion needs every command's flags: this command alone loads them all.
      const { createProgram } = await import("../program.js");
      const everything = await createProgram(loadConfig, [], { all: true });
      printText(completionScript(everything, shell));
    });
}
