import type { Command } from "commander";
import type { LoadConfig } from "./context.js";

export type RegisterCommand = (program: Command, loadConfig: LoadConfig) => void;

/**
 * Every top-level command: its name and one-line summary (all `--help` needs), and how to load it. Only the command
 * being run is imported, so `--help` and a usage error do not pay for the database, the agents or Ink.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  /** Shown under "Examples:" in the command's own --help. */
  examples: readonly string[];
  load: () => Promise<RegisterCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "ingest",
    summary:
      "Validate feedback files (CSV, JSON, NDJSON, Play Console, App Store Connect, .eml, mbox) and enqueue them",
    examples: [
      "feedback-cli ingest reviews.csv --wait",
      "feedback-cli ingest support.mbox exported-mail/ --app com.acme.notes",
      "feedback-cli ingest play_console.csv --dry-run --json",
    ],
    load: async () => (await import("./commands/ingest.js")).registerIngestCommand,
  },
  {
    name: "pull",
    summary:
      "Pull new and edited reviews from the configured app stores and enqueue them (resumes where the last stopped)",
    examples: ["feedback-cli pull", "feedback-cli pull --app notes-ios --json"],
    load: async () => (await import("./commands/pull.js")).registerPullCommand,
  },
  {
    name: "sources",
    summary: "Configure the app stores reviews are pulled from (App Store Connect, Google Play) and test their keys",
    examples: [
      "feedback-cli sources add notes-ios --store app-store-connect --app 682658836 --issuer-id <id> --key-id <id> --key-file AuthKey.p8",
      "feedback-cli sources add notes-android --store google-play --app com.acme.notes --key-env PLAY_SERVICE_ACCOUNT",
      "feedback-cli sources test notes-ios",
      "feedback-cli sources list",
    ],
    load: async () => (await import("./commands/sources.js")).registerSourcesCommands,
  },
  {
    name: "tickets",
    summary: "Inspect, edit, approve and reject tickets",
    examples: [
      "feedback-cli tickets list --priority critical --status needs_review",
      "feedback-cli tickets show 8767cbf0",
      "feedback-cli tickets approve 8767cbf0 a1b2c3d4 --yes",
      "feedback-cli tickets export --format csv --since 30d --out last-month.csv",
    ],
    load: async () => (await import("./commands/tickets.js")).registerTicketsCommands,
  },
  {
    name: "dlq",
    summary: "Inspect and replay the dead-letter queue",
    examples: [
      "feedback-cli dlq list",
      "feedback-cli dlq show 8767cbf0",
      "feedback-cli dlq replay --id 8767cbf0",
      "feedback-cli dlq replay --all --dry-run",
    ],
    load: async () => (await import("./commands/dlq.js")).registerDlqCommands,
  },
  {
    name: "integrations",
    summary: "Outbound webhooks: destinations, the delivery log of ticket events, and replay of failed deliveries",
    examples: [
      "FEEDBACK_WEBHOOK_SIGNING_SECRET=whsec_... feedback-cli integrations add team-hook --url https://example.com/hook --secret env:FEEDBACK_WEBHOOK_SIGNING_SECRET",
      `feedback-cli integrations add gh --kind github --secret env:GITHUB_TOKEN --settings '{"repository":"acme/app"}'`,
      "feedback-cli integrations deliveries --status failed",
      "feedback-cli integrations replay 8767cbf0-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
      "feedback-cli integrations replay --failed --json",
    ],
    load: async () => (await import("./commands/integrations.js")).registerIntegrationsCommands,
  },
  {
    name: "worker",
    summary:
      "Process the queue: run the agents and write tickets (Ctrl-C / SIGTERM stops after the batch in hand, exit 0)",
    examples: ["feedback-cli worker", "feedback-cli worker --once --json"],
    load: async () => (await import("./commands/worker.js")).registerWorkerCommand,
  },
  {
    name: "status",
    summary: "Which backend this talks to, queue and DLQ depth, tickets by priority and category",
    examples: ["feedback-cli status", "feedback-cli --profile prod status --json"],
    load: async () => (await import("./commands/status.js")).registerStatusCommand,
  },
  {
    name: "serve",
    summary:
      "Serve the webhook endpoints (Zendesk, Intercom, generic signed JSON) on localhost, with the worker in-process",
    examples: ["FEEDBACK_WEBHOOK_SECRET_GENERIC=s3cret feedback-cli serve --port 8787"],
    load: async () => (await import("./commands/serve.js")).registerServeCommand,
  },
  {
    name: "eval",
    summary:
      "Run the agents on labelled feedback and report accuracy, per-class precision/recall/F1 and confusion matrices",
    examples: [
      "feedback-cli eval labelled.csv --agents offline",
      "feedback-cli eval expected_classifications.csv --json",
    ],
    load: async () => (await import("./commands/eval.js")).registerEvalCommand,
  },
  {
    name: "dashboard",
    summary: "Serve the web dashboard (overview, tickets, review, configuration, analytics, quality, operations)",
    examples: ["feedback-cli dashboard --port 3000"],
    load: async () => (await import("./commands/dashboard.js")).registerDashboardCommand,
  },
  {
    name: "import",
    summary: "Bring tickets over from another system",
    examples: ["feedback-cli import legacy examples/legacy_tickets.csv --dry-run"],
    load: async () => (await import("./commands/import.js")).registerImportCommands,
  },
  {
    name: "config",
    summary: "Read, change, edit and check the stored triage configuration; every change is kept in its history",
    examples: [
      "feedback-cli config get",
      "feedback-cli config set confidenceThreshold 0.8",
      "feedback-cli config edit",
      "feedback-cli config history agents",
    ],
    load: async () => (await import("./commands/config.js")).registerConfigCommands,
  },
  {
    name: "privacy",
    summary: "Personal data: erase one person's data on request",
    examples: [
      "feedback-cli privacy erase --author jane@example.com --dry-run",
      "feedback-cli privacy history --author jane@example.com",
    ],
    load: async () => (await import("./commands/privacy.js")).registerPrivacyCommands,
  },
  {
    name: "completion",
    summary: "Print a shell completion script (bash, zsh or fish) for commands, flags and their values",
    examples: ['eval "$(feedback-cli completion bash)"'],
    load: async () => (await import("./commands/completion.js")).registerCompletionCommand,
  },
];

/** Examples of subcommands, shown in their own --help, by "<command> <subcommand>". */
export const SUBCOMMAND_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  "tickets list": [
    "feedback-cli tickets list --priority critical,high --status needs_review",
    "feedback-cli tickets list --since 7d --sort priority --limit 20",
    "feedback-cli tickets list --category bug --all --json > bugs.json",
  ],
  "tickets browse": [
    "feedback-cli tickets browse",
    "feedback-cli tickets browse --status needs_review --priority critical",
  ],
  "dlq replay": [
    "feedback-cli dlq replay",
    "feedback-cli dlq replay --id 8767cbf0 --id a1b2c3d4",
    "feedback-cli dlq replay --all --dry-run",
  ],
};

/** An "Examples:" block of a --help. */
export function examplesBlock(examples: readonly string[]): string {
  return `\nExamples:\n${examples.map((example) => `  $ ${example}`).join("\n")}`;
}

/** The "Examples:" block of a command's --help. */
export function examplesText(entry: CommandEntry): string {
  return examplesBlock(entry.examples);
}

/** The summary a command module gives its top-level command, so `--help` and `<command> --help` agree. */
export function summaryOf(name: string): string {
  const entry = COMMANDS.find((command) => command.name === name);
  if (!entry) throw new Error(`internal: ${name} is not in cli/command-list.ts`);
  return entry.summary;
}

/** Global options that take a value (the token after them is not a command name). */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(["--data-dir", "--profile"]);

/** The value of `--profile <name>` / `--profile=<name>` (a global option: before or after the command), if given. */
export function profileFlag(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === "--profile") return args[i + 1] ?? null;
    if (token.startsWith("--profile=")) return token.slice("--profile=".length);
  }
  return null;
}

/** The command `args` (argv without node and the script) runs, or null (no command, `--help`, a typo). */
export function invokedCommand(args: readonly string[]): CommandEntry | null {
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(token)) {
      i++;
      continue;
    }
    if (token.startsWith("-")) continue;
    const name = token === "help" ? args[i + 1] : token;
    return COMMANDS.find((command) => command.name === name) ?? null;
  }
  return null;
}
