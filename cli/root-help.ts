import { COMMANDS } from "./command-list.js";

/**
 * What the root `--help` says, in one place: program.ts gives it to commander, and fast-path.ts prints it without
 * loading commander (laid out as commander lays it out, so both print the same text).
 */
export const PROGRAM_NAME = "feedback-cli";
export const VERSION = "0.1.0";
export const DESCRIPTION = "Turn user feedback into classified, prioritized tickets.";

export interface GlobalOption {
  flags: string;
  description: string;
}

export const GLOBAL_OPTIONS: readonly GlobalOption[] = [
  {
    flags: "--data-dir <path>",
    description: "folder of the embedded database (default FEEDBACK_DATA_DIR, else ./.feedback-triage)",
  },
  {
    flags: "--profile <name>",
    description: "target from the profiles file (a deployed stack; see README, Profiles); also FEEDBACK_PROFILE",
  },
  { flags: "--no-color", description: "no colours on a terminal (as NO_COLOR=1 does; FORCE_COLOR=1 forces them)" },
];

/** The first commands people run, shown in the root help. */
export const ROOT_EXAMPLES: readonly string[] = [
  "feedback-cli ingest reviews.csv --wait",
  "feedback-cli tickets list --priority critical --status needs_review",
  "feedback-cli tickets browse",
  "feedback-cli dlq replay",
  "feedback-cli --profile prod status",
];

/** Shown after the lists: examples, the environment variables and the exit codes. */
export const ROOT_HELP_AFTER = `
Examples:
${ROOT_EXAMPLES.map((example) => `  $ ${example}`).join("\n")}

Environment (every setting: README.md, "Configuration"; the effective ones: feedback-cli status --json):
  DATABASE_URL        use this PostgreSQL instead of the embedded database
  FEEDBACK_DATA_DIR   folder of the embedded database
  FEEDBACK_PROFILE    a profile of ~/.config/feedback-triage/profiles.json (FEEDBACK_PROFILES_FILE), as --profile
  NO_COLOR            no colours (any value); FORCE_COLOR=1 forces them, FORCE_COLOR=0 turns them off

Exit codes: 0 ok, 1 an error you can fix (the message says how), 2 usage error,
  130 / 143 interrupted by Ctrl-C / SIGTERM (worker, serve and dashboard stop with 0; a second signal: 130 / 143).`;

/** The options commander adds itself, as it words them. */
const BUILT_IN_OPTIONS = {
  version: { flags: "-V, --version", description: "output the version number" },
  help: { flags: "-h, --help", description: "display help for command" },
};
const HELP_COMMAND = { term: "help [command]", description: "display help for command" };

/** Commander's default: descriptions are not wrapped into a column narrower than this. */
const MIN_WIDTH_TO_WRAP = 40;

/** The root help for a terminal `width` columns wide (80 when not a terminal), ending in a newline. */
export function rootHelpText(width = 80): string {
  const options = [BUILT_IN_OPTIONS.version, ...GLOBAL_OPTIONS, BUILT_IN_OPTIONS.help].map(
    (option) => [option.flags, option.description] as const,
  );
  const commands = [
    ...COMMANDS.map((command) => [command.name, command.summary] as const),
    [HELP_COMMAND.term, HELP_COMMAND.description] as const,
  ];
  const termWidth = Math.max(...[...options, ...commands].map(([term]) => term.length));
  const item = ([term, description]: readonly [string, string]) => formatItem(term, description, termWidth, width);
  return [
    `Usage: ${PROGRAM_NAME} [options] [command]`,
    "",
    wrap(DESCRIPTION, width),
    "",
    "Options:",
    ...options.map(item),
    "",
    "Commands:",
    ...commands.map(item),
    `${ROOT_HELP_AFTER}\n`,
  ].join("\n");
}

function formatItem(term: string, description: string, termWidth: number, width: number): string {
  const remaining = width - termWidth - 4;
  const body = remaining < MIN_WIDTH_TO_WRAP ? description : wrap(description, remaining);
  return `  ${term.padEnd(termWidth)}  ${body.replace(/\n/g, `\n  ${" ".repeat(termWidth + 2)}`)}`;
}

/** Wraps at whitespace as commander's Help.boxWrap does (a word longer than the line stays whole). */
function wrap(text: string, width: number): string {
  if (width < MIN_WIDTH_TO_WRAP) return text;
  const lines: string[] = [];
  let line = "";
  for (const chunk of text.match(/\s*\S+/g) ?? []) {
    if (line === "" || line.length + chunk.length <= width) line += line === "" ? chunk.trimStart() : chunk;
    else {
      lines.push(line);
      line = chunk.trimStart();
    }
  }
  lines.push(line);
  return lines.join("\n");
}
