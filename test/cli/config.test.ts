import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ConfigHistoryJson,
  ConfigJson,
  ConfigSaveJson,
  ConfigValidateJson,
  TicketsListJson,
} from "../../cli/output-schemas.js";
import { runCli, sampleDir } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";

/** `feedback-cli config ...` against one embedded database; the tests run in order and later ones see earlier changes. */
describe("feedback-cli config", () => {
  const workspace = useCliWorkspace("ft-config-");
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(["config", ...args], { cwd: workspace.cwd, env: { ...workspace.env(), ...env } });
  const getJson = async (key?: string) => {
    const result = await cli(["get", ...(key ? [key] : []), "--json"]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as unknown;
  };
  const history = async () => {
    const result = await cli(["history", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    return ConfigHistoryJson.parse(JSON.parse(result.stdout));
  };

  let scripts: string;
  beforeAll(async () => {
    scripts = await mkdtemp(path.join(tmpdir(), "ft-config-editor-"));
  });
  /** An EDITOR that runs `body` (JavaScript with `file` and `config`, the parsed JSON) on the file it is given. */
  async function editor(name: string, body: string): Promise<string> {
    const script = path.join(scripts, `${name}.mjs`);
    await writeFile(
      script,
      `import { readFileSync, writeFileSync } from "node:fs";\nconst file = process.argv[2];\nconst config = JSON.parse(readFileSync(file, "utf8"));\n${body}\n`,
    );
    return `"${process.execPath}" "${script}"`;
  }

  it("prints the whole stored configuration with --json, keys by their camelCase names", async () => {
    const config = ConfigJson.parse(await getJson());
    expect(config.confidenceThreshold).toBe(0.7);
    expect(config.priorityRules.defaults.Bug).toBe("Medium");
    expect(config.agents.hybridThreshold).toBe(0.85);
    expect(Object.keys(config)).toEqual(["confidenceThreshold", "priorityRules", "agents", "modelPrices", "grouping"]);
    expect(config.grouping?.enabled).toBe(false);
  });

  it("prints one key", async () => {
    const result = await cli(["get", "confidenceThreshold"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("0.7");
  });

  it("prints a nested value by its dotted path", async () => {
    expect(await getJson("agents.hybridThreshold")).toBe(0.85);
    expect(await getJson("priorityRules.defaults.Feature Request")).toBe("Low");
  });

  it("accepts the stored snake_case name of a key", async () => {
    expect(await getJson("confidence_threshold")).toBe(0.7);
    expect(await getJson("priority_rules.defaults")).toEqual(await getJson("priorityRules.defaults"));
  });

  it("exits 2 for an unknown key, naming it and listing the valid keys", async () => {
    for (const args of [
      ["get", "confidenceTreshold"],
      ["set", "agents.colour", "blue"],
      ["history", "nope"],
    ]) {
      const result = await cli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`unknown configuration key '${args[1]}'`);
      expect(result.stderr).toContain("valid keys: confidenceThreshold, priorityRules");
      expect(result.stderr).toContain("agents.hybridThreshold");
    }
  });

  it("refuses an invalid value naming the key, the problem and an example, and saves nothing", async () => {
    const before = await history();
    const result = await cli(["set", "confidenceThreshold", "1.5"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Invalid value for 'confidenceThreshold'");
    expect(result.stderr).toMatch(/confidenceThreshold: Too big.*use a number from 0 to 1, e\.g\. 0\.7/);
    expect(result.stderr).toContain("Nothing was saved.");
    const text = await cli(["set", "agents.mode", "turbo"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('use one of: "offline", "claude", "hybrid"');
    expect(await getJson("confidenceThreshold")).toBe(0.7);
    expect(await history()).toEqual(before);
  });

  it("sets a text value as text, prints what changed as --json, and takes the snake_case name", async () => {
    const result = await cli(["set", "agents.claudeModel", "claude-sonnet-4-5", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(ConfigSaveJson.parse(JSON.parse(result.stdout))).toEqual({
      changedKeys: ["agents"],
      differences: [
        { path: "agents.claudeModel", kind: "changed", before: "claude-haiku-4-5", after: "claude-sonnet-4-5" },
      ],
    });
    const snake = await cli(["set", "confidence_threshold", "0.75"]);
    expect(snake.code, snake.stderr).toBe(0);
    expect(snake.stdout).toContain("~ confidenceThreshold: 0.7 -> 0.75");
    expect(await getJson("confidenceThreshold")).toBe(0.75);
  });

  it("keeps every change in the history with who made it, newest first", async () => {
    const [latest, previous] = await history();
    expect(latest).toMatchObject({ key: "confidenceThreshold", before: 0.7, after: 0.75 });
    expect(latest?.actor).toMatch(/@cli$/);
    expect(previous).toMatchObject({ key: "agents", differences: [{ path: "agents.claudeModel" }] });
    const text = await cli(["history", "confidenceThreshold"]);
    expect(text.stdout).toMatch(/@cli {2}confidenceThreshold\n {2}~ confidenceThreshold: 0\.7 -> 0\.75/);
    expect(text.stdout).toMatch(/migration {2}confidenceThreshold\n {2}= 0\.7/); // the value before any change
  });

  it("applies a changed confidence threshold to the next triage", async () => {
    const set = await cli(["set", "confidenceThreshold", "1"]);
    expect(set.code, set.stderr).toBe(0);
    const ingest = await runCli(["ingest", path.join(sampleDir, "support_emails.csv"), "--wait", "--json"], {
      cwd: workspace.cwd,
      env: workspace.env(),
    });
    expect(ingest.code, ingest.stderr).toBe(0);
    const list = await runCli(["tickets", "list", "--limit", "100", "--json"], {
      cwd: workspace.cwd,
      env: workspace.env(),
    });
    const tickets = TicketsListJson.parse(JSON.parse(list.stdout));
    // Open under the seeded threshold (0.7), sent to review under the new one.
    const confident = tickets.filter((t) => t.confidence >= 0.7 && t.confidence < 1);
    expect(confident.length).toBeGreaterThan(0);
    expect(confident.every((t) => t.status === "needs_review")).toBe(true);
  });

  it("edits the configuration in $EDITOR, shows the changes and saves them with --yes", async () => {
    const EDITOR = await editor(
      "good",
      "config.confidenceThreshold = 0.6; config.agents.hybridThreshold = 0.9; writeFileSync(file, JSON.stringify(config, null, 2));",
    );
    const result = await cli(["edit", "--yes"], { EDITOR });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("~ confidenceThreshold: 1 -> 0.6");
    expect(result.stdout).toContain("~ agents.hybridThreshold: 0.85 -> 0.9");
    expect(result.stdout).toContain("Saved confidenceThreshold, agents");
    expect(await getJson("confidenceThreshold")).toBe(0.6);
    expect(await getJson("agents.hybridThreshold")).toBe(0.9);
    const [latest] = await history();
    expect(latest?.actor).toMatch(/@cli$/);
  });

  it("saves nothing when the edited file is not valid JSON, and keeps the edit", async () => {
    const before = await history();
    const EDITOR = await editor("broken", "writeFileSync(file, '{ \"confidenceThreshold\": 0.5, ');");
    const result = await cli(["edit", "--yes"], { EDITOR });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not valid JSON");
    expect(result.stderr).toContain("Nothing was saved.");
    const kept = /kept in (\S+configuration\.json)/.exec(result.stderr)?.[1];
    expect(await readFile(kept!, "utf8")).toContain('"confidenceThreshold": 0.5');
    expect(await getJson("confidenceThreshold")).toBe(0.6);
    expect(await history()).toEqual(before);
  });

  it("saves nothing when the edited configuration breaks the schema, listing each problem", async () => {
    const EDITOR = await editor(
      "invalid",
      'config.confidenceThreshold = 2; config.agents.mode = "fast"; writeFileSync(file, JSON.stringify(config));',
    );
    const result = await cli(["edit", "--yes"], { EDITOR });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/confidenceThreshold: .*use a number from 0 to 1/);
    expect(result.stderr).toMatch(/agents\.mode: .*use one of/);
    expect(await getJson("confidenceThreshold")).toBe(0.6);
  });

  it("asks for --yes when config edit does not run on a terminal", async () => {
    const result = await cli(["edit"], { EDITOR: "true" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--yes");
  });

  it("validates a good file: exit 0, 'valid'", async () => {
    const file = path.join(scripts, "good.json");
    await writeFile(file, JSON.stringify(await getJson()));
    const result = await cli(["validate", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`${file}: valid`);
  });

  it("validates a bad file: exit 1 with every problem's path, message and fix", async () => {
    const file = path.join(scripts, "bad.json");
    const config = ConfigJson.parse(await getJson());
    await writeFile(
      file,
      JSON.stringify({
        ...config,
        confidenceThreshold: -1,
        agents: { ...config.agents, hybridThresold: 0.8 },
        priorityRules: {
          ...config.priorityRules,
          rules: [{ name: "x", category: "Bugs", priority: "High", keywords: [] }],
        },
      }),
    );
    const result = await cli(["validate", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}: 4 problems`);
    expect(result.stdout).toMatch(
      /agents\.hybridThresold: unknown key\n\s+fix: remove it, or use one of: mode, claudeModel, hybridThreshold/,
    );
    expect(result.stdout).toMatch(/confidenceThreshold: Too small.*\n\s+fix: use a number from 0 to 1, e\.g\. 0\.7/);
    expect(result.stdout).toMatch(
      /priorityRules\.rules\.0\.category: .*\n\s+fix: use one of: "Bug", "Feature Request"/,
    );
    expect(result.stdout).toMatch(/priorityRules\.rules\.0\.keywords: .*\n\s+fix: give at least 1 entry/);
    const json = await cli(["validate", file, "--json"]);
    expect(json.code).toBe(1);
    const parsed = ConfigValidateJson.parse(JSON.parse(json.stdout));
    expect(parsed.valid).toBe(false);
    expect(parsed.problems.map((p) => p.path)).toEqual([
      "agents.hybridThresold",
      "confidenceThreshold",
      "priorityRules.rules.0.category",
      "priorityRules.rules.0.keywords",
    ]);
  });

  it("reports a file that is not JSON with its line and column", async () => {
    const file = path.join(scripts, "syntax.json");
    await writeFile(file, '{\n  "confidenceThreshold": 0.5,\n}\n');
    const result = await cli(["validate", file, "--json"]);
    expect(result.code).toBe(1);
    const [problem] = ConfigValidateJson.parse(JSON.parse(result.stdout)).problems;
    expect(problem?.path).toBe("(file)");
    expect(problem?.message).toMatch(/not valid JSON: .*line 3,? column 1/);
  });

  it("unsets an optional value, recording the change in the history (--json contract)", async () => {
    expect((await cli(["set", "agents.hybridThreshold", "0.9"])).code).toBe(0);
    const result = await cli(["unset", "agents.hybridThreshold", "--json"], { USER: "uma" });
    expect(result.code, result.stderr).toBe(0);
    expect(ConfigSaveJson.parse(JSON.parse(result.stdout))).toEqual({
      changedKeys: ["agents"],
      differences: [{ path: "agents.hybridThreshold", kind: "removed", before: 0.9 }],
    });
    expect(await getJson("agents.hybridThreshold")).toBeNull();
    const [latest] = await history();
    expect(latest).toMatchObject({ key: "agents", actor: "uma@cli" });
    const again = await cli(["unset", "agents.hybridThreshold"]);
    expect(again.code, again.stderr).toBe(0);
  });

  it("refuses to unset a required key or value: exit 2 naming it", async () => {
    const required = await cli(["unset", "confidenceThreshold"]);
    expect(required.code).toBe(2);
    expect(required.stderr).toMatch(/'confidenceThreshold' is a required key/);
    const nested = await cli(["unset", "priorityRules.defaults"]);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toMatch(/'priorityRules\.defaults' is required and cannot be unset/);
  });

  it("gives ingested items without an app the stored defaultApp, until it is unset", async () => {
    const file = path.join(scripts, "no-app.csv");
    await writeFile(file, "review_id,user_name,rating,review_text\nNA-1,ann,2,The app crashes on start\n");
    expect((await cli(["set", "defaultApp", "com.example.notes"])).code).toBe(0);
    const ingest = await runCli(["ingest", file, "--wait"], { cwd: workspace.cwd, env: workspace.env() });
    expect(ingest.code, ingest.stderr).toBe(0);
    const listed = await runCli(["tickets", "list", "--search", "NA-1", "--json"], {
      cwd: workspace.cwd,
      env: workspace.env(),
    });
    expect(TicketsListJson.parse(JSON.parse(listed.stdout)).map((t) => t.app)).toEqual(["com.example.notes"]);
    const unset = await cli(["unset", "defaultApp", "--json"]);
    expect(unset.code, unset.stderr).toBe(0);
    expect(ConfigSaveJson.parse(JSON.parse(unset.stdout)).changedKeys).toEqual(["defaultApp"]);
    expect(await getJson("defaultApp")).toBeNull();
    const [latest] = await history();
    expect(latest).toMatchObject({ key: "defaultApp", before: "com.example.notes", after: null });
  });

  it("takes categoryDefaults as another name for priorityRules.defaults, in get and set", async () => {
    expect(await getJson("categoryDefaults")).toEqual(await getJson("priorityRules.defaults"));
    const set = await cli(["set", "categoryDefaults.Praise", "Medium", "--json"]);
    expect(set.code, set.stderr).toBe(0);
    expect(ConfigSaveJson.parse(JSON.parse(set.stdout)).differences).toEqual([
      { path: "priorityRules.defaults.Praise", kind: "changed", before: "Low", after: "Medium" },
    ]);
    expect(await getJson("priorityRules.defaults.Praise")).toBe("Medium");
    expect(await getJson("category_defaults.Praise")).toBe("Medium");
  });
});
