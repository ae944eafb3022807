import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import {
  type ConfigurationPath,
  changedKeys,
  configurationHistory,
  diffConfiguration,
  InvalidConfigurationError,
  parseConfigurationPath,
  readConfiguration,
  saveConfiguration,
  setConfigurationValue,
  UnknownConfigurationKeyError,
  unsetConfigurationValue,
  unsetProblem,
  type ValidationResult,
  validateConfiguration,
} from "../../app/configuration/configuration-service.js";
import type { RuntimeConfig } from "../../sdk/config/runtime.js";
import { ValidationError } from "../../sdk/errors.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import {
  ConfigHistoryJson,
  ConfigJson,
  ConfigSaveJson,
  ConfigValidateJson,
  ConfigValueJson,
} from "../output-schemas.js";
import { parsePositiveInt, parseStorableText } from "../parse-options.js";
import {
  configValueText,
  differencesText,
  historyText,
  problemsText,
  savedText,
} from "../presenters/config-presenter.js";

/** Who a change made here is recorded as in the history. */
const actorOf = (config: RuntimeConfig) => `${config.dashboard.localUser}@cli`;

/** A key no configuration value has is a usage error (exit 2) naming it and the valid keys. */
function resolveKey(command: Command, key: string): ConfigurationPath {
  try {
    return parseConfigurationPath(key);
  } catch (error) {
    if (!(error instanceof UnknownConfigurationKeyError)) throw error;
    command.error(`error: unknown configuration key '${key}'; valid keys: ${error.validKeys.join(", ")}`, {
      exitCode: 2,
      code: "feedback.unknownKey",
    });
  }
}

/** JSON text -> validation result; text that is not JSON is one problem saying where. */
function validateText(text: string): ValidationResult {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const before = position ? text.slice(0, Number(position[1])).split("\n") : undefined;
    const where =
      before && !/\(line \d+/.test(message) ? ` (line ${before.length}, column ${before.at(-1)!.length + 1})` : "";
    return {
      ok: false,
      problems: [
        {
          path: "(file)",
          message: `not valid JSON: ${message}${where}`,
          fix: "correct the JSON syntax (quotes around keys and strings, no trailing commas)",
        },
      ],
    };
  }
  return validateConfiguration(input);
}

/** Opens `file` in the user's editor (a command line such as `code --wait`) and waits for it to exit. */
function runEditor(editor: string, file: string): Promise<void> {
  const child =
    process.platform === "win32"
      ? spawn(`${editor} "${file}"`, { shell: true, stdio: "inherit" })
      : spawn("/bin/sh", ["-c", `${editor} "$@"`, editor, file], { stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.on("error", (error) =>
      reject(new ValidationError(`Cannot start the editor '${editor}': ${error.message}`, { cause: error })),
    );
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new ValidationError(`The editor '${editor}' exited with ${signal ?? `code ${code}`}; nothing was saved`),
        );
    });
  });
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new ValidationError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        hint: "Give the path of a JSON file, e.g. one written by 'feedback-cli config get --json > config.json'.",
      },
    );
  }
}

const onTerminal = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);

export function registerConfigCommands(program: Command, loadConfig: LoadConfig): void {
  const config = program.command("config").description(summaryOf("config"));
  config
    .command("get")
    .description("Print the stored configuration, or one key (dotted for nested values: agents.mode)")
    .argument(
      "[key]",
      "e.g. confidenceThreshold, priorityRules.defaults, agents.hybridThreshold",
      parseStorableText("[key]"),
    )
    .option("--json", "print JSON")
    .action(async (key: string | undefined, flags: { json?: boolean }, command: Command) => {
      const path = key === undefined ? undefined : resolveKey(command, key);
      const configuration = await withBackend(commandConfig(loadConfig, command), readConfiguration);
      if (!path) {
        if (flags.json) printJson(ConfigJson, configuration);
        else printText(configValueText(undefined, configuration));
        return;
      }
      let value: unknown = configuration[path.name];
      for (const segment of path.rest) value = (value as Record<string, unknown> | undefined)?.[segment];
      if (flags.json) printJson(ConfigValueJson, (value ?? null) as never);
      else printText(configValueText(path.text, value));
    });
  config
    .command("set")
    .description(
      "Set one key (the value is JSON when it parses as JSON, else text); the whole configuration is validated, an invalid value saves nothing",
    )
    .argument("<key>", "e.g. confidenceThreshold, agents.mode, priority_rules", parseStorableText("<key>"))
    .argument("<value>", 'e.g. 0.8, hybrid, \'{"defaults": ..., "rules": [...]}\'', parseStorableText("<value>"))
    .option("--json", "print what changed as JSON")
    .action(async (key: string, value: string, flags: { json?: boolean }, command: Command) => {
      resolveKey(command, key);
      const runtime = commandConfig(loadConfig, command);
      const saved = await withBackend(runtime, (backend) =>
        setConfigurationValue(backend, key, value, actorOf(runtime)),
      );
      if (flags.json) printJson(ConfigSaveJson, saved);
      else printText(savedText(saved));
    });
  config
    .command("unset")
    .description(
      "Remove an optional value (agents.mode, agents.hybridThreshold, modelPrices.<model>; one with a default goes back to it), with history",
    )
    .argument(
      "<key>",
      "e.g. agents.mode, agents.hybridThreshold, modelPrices.claude-haiku-4-5",
      parseStorableText("<key>"),
    )
    .option("--json", "print what changed as JSON")
    .action(async (key: string, flags: { json?: boolean }, command: Command) => {
      const problem = unsetProblem(resolveKey(command, key));
      if (problem) command.error(`error: cannot unset ${problem}`, { exitCode: 2, code: "feedback.notUnsettable" });
      const runtime = commandConfig(loadConfig, command);
      const saved = await withBackend(runtime, (backend) => unsetConfigurationValue(backend, key, actorOf(runtime)));
      if (flags.json) printJson(ConfigSaveJson, saved);
      else printText(savedText(saved));
    });
  config
    .command("edit")
    .description(
      "Open the configuration as JSON in $VISUAL / $EDITOR; when the editor exits it is validated, the changes are shown and, once confirmed, saved",
    )
    .option("--yes", "save without asking (needed when not on a terminal)")
    .option(
      "--from <file>",
      "start from this JSON file (e.g. an edit kept after a failed check) instead of the stored values",
    )
    .option("--json", "print what changed as JSON (with --yes)")
    .action(async (flags: { yes?: boolean; json?: boolean; from?: string }, command: Command) => {
      const runtime = commandConfig(loadConfig, command);
      if (flags.json && !flags.yes) {
        command.error("error: config edit --json prints no question: add --yes", {
          exitCode: 2,
          code: "feedback.needsYes",
        });
      }
      if (!flags.yes && !onTerminal()) {
        command.error("error: config edit asks before saving, and this is not a terminal: pass --yes to save", {
          exitCode: 2,
          code: "feedback.needsYes",
        });
      }
      const editor = runtime.cli.editor;
      if (!editor) {
        throw new ValidationError("config edit needs an editor, and neither VISUAL nor EDITOR is set", {
          hint: "Set one, e.g. export EDITOR=nano (or 'code --wait'), or change single keys with 'feedback-cli config set'.",
        });
      }
      // The database is not held open while the editor runs; the save checks that nobody changed the same keys.
      const before = await withBackend(runtime, readConfiguration);
      const dir = await mkdtemp(path.join(tmpdir(), "feedback-config-"));
      const file = path.join(dir, "configuration.json");
      const start = flags.from ? await readText(flags.from) : `${JSON.stringify(before, null, 2)}\n`;
      await writeFile(file, start, "utf8");
      let keep = false;
      try {
        await runEditor(editor, file);
        const result = validateText(await readFile(file, "utf8"));
        if (!result.ok) {
          keep = true;
          throw new InvalidConfigurationError(
            "The edited configuration is not valid",
            result.problems,
            `Nothing was saved. Your edit is kept in ${file}: continue with 'feedback-cli config edit --from ${file}'.`,
          );
        }
        const differences = diffConfiguration(before, result.value);
        if (differences.length === 0) {
          if (flags.json) printJson(ConfigSaveJson, { changedKeys: [], differences: [] });
          else printText("No changes; nothing saved.");
          return;
        }
        if (!flags.json) printText(`Changes:\n${differencesText(differences)}`);
        if (!flags.yes && !(await confirm("Save these changes? [y/N] "))) {
          printText("Not saved.");
          return;
        }
        const saved = await withBackend(runtime, (backend) =>
          saveConfiguration(backend, changedKeys(before, result.value), actorOf(runtime), {
            basedOn: before,
            conflictHint: "Run 'feedback-cli config edit' again to edit the current values.",
          }),
        );
        if (flags.json) printJson(ConfigSaveJson, saved);
        else printText(savedText(saved, { differences: false }));
      } finally {
        if (!keep) await rm(dir, { recursive: true, force: true });
      }
    });
  config
    .command("validate")
    .description(
      "Check a configuration file (JSON, as 'config get --json' prints it): exit 0 valid, 1 with every problem",
    )
    .argument("<file>", "the JSON file")
    .option("--json", "print the result as JSON")
    .action(async (file: string, flags: { json?: boolean }) => {
      const result = validateText(await readText(file));
      const problems = result.ok ? [] : result.problems;
      if (flags.json) printJson(ConfigValidateJson, { valid: result.ok, problems });
      else printText(result.ok ? `${file}: valid` : problemsText(file, problems));
      if (!result.ok) process.exitCode = 1;
    });
  config
    .command("history")
    .description("Who changed which configuration key when, newest first, with what changed")
    .argument("[key]", "only this key", parseStorableText("[key]"))
    .option("--limit <n>", "how many (1-1000)", parsePositiveInt("--limit", 1000), 50)
    .option("--json", "print JSON")
    .action(async (key: string | undefined, flags: { limit: number; json?: boolean }, command: Command) => {
      const path = key === undefined ? undefined : resolveKey(command, key);
      if (path && path.rest.length > 0) {
        command.error(`error: config history takes a top-level key, not '${key}'; e.g. ${path.name}`, {
          exitCode: 2,
          code: "feedback.unknownKey",
        });
      }
      const entries = await withBackend(commandConfig(loadConfig, command), (backend) =>
        configurationHistory(backend, { key: path?.name, limit: flags.limit }),
      );
      if (flags.json) printJson(ConfigHistoryJson, entries);
      else printText(historyText(entries));
    });
}
