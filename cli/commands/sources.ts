import { type Command, Option } from "commander";
import {
  type AddSourceInput,
  addSource,
  listSources,
  removeSource,
  testSource,
} from "../../app/pulls/sources-service.js";
import { STORE_KINDS } from "../../sdk/schemas/store-source.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { SourceJson, SourcesListJson, SourceTestJson } from "../output-schemas.js";
import { parseStorableText } from "../parse-options.js";
import { sourceAddedText, sourcesText, sourceTestText } from "../presenters/pull-presenter.js";

type AddFlags = Omit<AddSourceInput, "name"> & { json?: boolean };

/** `sources add|list|test|remove`: the app stores `pull` reads, through app/pulls. */
export function registerSourcesCommands(program: Command, loadConfig: LoadConfig): void {
  const sources = program.command("sources").description(summaryOf("sources"));
  const text = (name: string) => parseStorableText(name);
  sources
    .command("add <name>")
    .description(
      "Add a store source, or change one (its cursor is kept); the key is read from a file or variable at each pull, never stored",
    )
    .addOption(new Option("--store <store>", "which store").choices(STORE_KINDS).makeOptionMandatory())
    .requiredOption("--app <id>", "App Store Connect app id, or Google Play package name", text("--app"))
    .option(
      "--key-file <path>",
      "the .p8 key (App Store Connect) or the service account JSON key (Google Play)",
      text("--key-file"),
    )
    .option("--key-env <NAME>", "an environment variable holding that key instead", text("--key-env"))
    .option("--issuer-id <id>", "App Store Connect: the API key's issuer id", text("--issuer-id"))
    .option("--key-id <id>", "App Store Connect: the API key's id", text("--key-id"))
    .option("--base-url <url>", "the store API's base URL (default: the store's)", text("--base-url"))
    .option(
      "--token-url <url>",
      "Google Play: the OAuth token endpoint (default: the key file's token_uri)",
      text("--token-url"),
    )
    .option("--json", "print JSON")
    .action(async (name: string, flags: AddFlags, command: Command) => {
      if ((flags.keyFile === undefined) === (flags.keyEnv === undefined)) {
        command.error("error: name the key with exactly one of --key-file <path> and --key-env <NAME>", {
          exitCode: 2,
          code: "feedback.keyNeeded",
        });
      }
      const config = commandConfig(loadConfig, command);
      const { json, ...input } = flags;
      const saved = await withBackend(config, (backend) => addSource(backend.sources, { name, ...input }));
      if (json) printJson(SourceJson, saved);
      else printText(sourceAddedText(saved));
    });
  sources
    .command("list")
    .description("The configured sources: store, app, where the key is read, the last pull and how it went")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const listed = await withBackend(config, (backend) => listSources(backend.sources));
      if (flags.json) printJson(SourcesListJson, listed);
      else printText(sourcesText(listed));
    });
  sources
    .command("test <name>")
    .description(
      "Read the source's key and the newest page of reviews; publishes nothing, moves no cursor (exit 1 on failure)",
    )
    .option("--json", "print JSON")
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const tested = await withBackend(config, (backend) =>
        testSource(backend.sources, name, { env: config.credentialEnv }),
      );
      if (flags.json) printJson(SourceTestJson, tested);
      else printText(sourceTestText(tested));
      if (!tested.ok) process.exitCode = 1;
    });
  sources
    .command("remove <name>")
    .description("Forget a source and its cursor (tickets made from its reviews stay)")
    .action(async (name: string, _flags: unknown, command: Command) => {
      const config = commandConfig(loadConfig, command);
      await withBackend(config, (backend) => removeSource(backend.sources, name));
      printText(`Removed source ${name}.`);
    });
}
