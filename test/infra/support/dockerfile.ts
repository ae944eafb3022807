import { existsSync, readFileSync, statSync } from "node:fs";
import { cp, mkdir, readdir, readFile, symlink } from "node:fs/promises";
import { isBuiltin } from "node:module";
import path from "node:path";

/**
 * Just enough of Docker's build semantics to replay a Dockerfile's build stage without a Docker engine:
 * the instructions of one stage, the `<Dockerfile>.dockerignore` beside it (BuildKit reads that one in
 * preference to the context's .dockerignore) and COPY of exactly what survives it.
 */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string | undefined;
  from: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, with line continuations joined and comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (!current && (line.trim().startsWith("#") || !line.trim())) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push((current + line).trim());
    current = "";
  }
  if (current) lines.push(current.trim());
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ from: match?.[1] ?? args, name: match?.[2], instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

export function stageNamed(stages: Stage[], name: string): Stage {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage "${name}" (stages: ${stages.map((s) => s.name ?? s.from).join(", ")})`);
  return stage;
}

/** COPY's sources and destination; `--from=<stage>` and other flags are returned apart. */
export function copyArgs(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const words = args.startsWith("[") ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  const flags: Record<string, string> = {};
  const paths = words.filter((word) => {
    const flag = /^--([\w-]+)(?:=(.*))?$/.exec(word);
    if (flag) flags[flag[1]!] = flag[2] ?? "true";
    return !flag;
  });
  if (paths.length < 2) throw new Error(`COPY needs a source and a destination: ${args}`);
  return { flags, sources: paths.slice(0, -1), dest: paths.at(-1)! };
}

function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      // "**/" matches any number of directories, including none; a trailing "**" matches everything.
      if (pattern[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/**
 * A .dockerignore as Docker applies it: patterns in order, the last one matching a path (or one of its
 * parent directories) decides, `!` re-includes.
 */
export function dockerignore(text: string): (relativePath: string) => boolean {
  const rules = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const negated = line.startsWith("!");
      const pattern = path.posix.normalize((negated ? line.slice(1) : line).trim()).replace(/^\/|\/$/g, "");
      return { negated, regexp: globToRegExp(pattern) };
    });
  return (relativePath) => {
    const parts = relativePath.split("/");
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
    let ignored = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.regexp.test(candidate))) ignored = !rule.negated;
    }
    return ignored;
  };
}

/** Every file of the build context that the ignore file lets through, relative and slash-separated. */
export async function contextFiles(root: string, ignored: (relativePath: string) => boolean): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      // The context never sends these; skipping them keeps the walk fast.
      if (!dir && [".git", "node_modules", "dist"].includes(entry.name)) continue;
      if (entry.isDirectory()) await walk(relative);
      else if (!ignored(relative)) files.push(relative);
    }
  };
  await walk("");
  return files;
}

export interface ReplayedStage {
  /** The folder standing in for the stage's WORKDIR. */
  workdir: string;
  /** What each COPY brought in, relative to the workdir. */
  copied: string[];
  /** RUN commands as they were run (after substitutions). */
  commands: string[];
}

export interface ReplayOptions {
  /** The build context (the repository root). */
  context: string;
  dockerfile: string;
  stage: string;
  /** An empty folder standing in for the stage's WORKDIR. */
  into: string;
  /**
   * Runs one RUN command in the workdir; `npm ci` (which would fetch from the registry) is handed over as
   * it is, for the caller to replace by linking the repository's node_modules.
   */
  run: (command: string, workdir: string) => Promise<void>;
}

/**
 * Replays one stage: COPY of exactly the context files the ignore file lets through (a source that matches
 * nothing fails as `docker build` does), then each RUN in order. Only COPY, RUN, WORKDIR, ENV and ARG are
 * understood; anything else fails so the replay never silently skips a step.
 */
export async function replayStage(options: ReplayOptions): Promise<ReplayedStage> {
  const dockerfilePath = path.join(options.context, options.dockerfile);
  const ignoreFile = `${dockerfilePath}.dockerignore`;
  const ignored = existsSync(ignoreFile) ? dockerignore(readFileSync(ignoreFile, "utf8")) : () => false;
  const available = await contextFiles(options.context, ignored);
  const stage = stageNamed(parseDockerfile(await readFile(dockerfilePath, "utf8")), options.stage);
  const copied: string[] = [];
  const commands: string[] = [];
  for (const { keyword, args } of stage.instructions) {
    if (keyword === "COPY") {
      const { flags, sources, dest } = copyArgs(args);
      if (flags.from) throw new Error(`the replayed stage copies from another stage: COPY ${args}`);
      for (const source of sources) {
        const prefix = path.posix.normalize(source).replace(/\/$/, "");
        const matches = available.filter((file) => file === prefix || file.startsWith(`${prefix}/`));
        if (matches.length === 0)
          throw new Error(
            `COPY ${source}: not found in the build context (${path.relative(options.context, ignoreFile)} leaves it out?)`,
          );
        const isDir = statSync(path.join(options.context, prefix)).isDirectory();
        for (const file of matches) {
          // COPY <dir> <dest> copies the directory's content into dest; COPY <file> <dir>/ keeps the name.
          const relative = isDir ? path.posix.relative(prefix, file) : path.posix.basename(file);
          const target = path.posix.join(dest, relative);
          await mkdir(path.dirname(path.join(options.into, target)), { recursive: true });
          await cp(path.join(options.context, file), path.join(options.into, target));
          copied.push(path.posix.normalize(target));
        }
      }
    } else if (keyword === "RUN") {
      commands.push(args);
      await options.run(args, options.into);
    } else if (!["WORKDIR", "ENV", "ARG"].includes(keyword)) {
      throw new Error(`the replay does not understand ${keyword} ${args}`);
    }
  }
  return { workdir: options.into, copied, commands };
}

/** Links `node_modules` of the repository into the workdir: what `npm ci` from the same lockfile installs. */
export async function linkNodeModules(repoRoot: string, workdir: string): Promise<void> {
  await symlink(path.join(repoRoot, "node_modules"), path.join(workdir, "node_modules"), "dir");
}

const IMPORT_SPECIFIERS = [
  /^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"'\s]+)["']/gm,
  /^\s*import\s*["']([^"'\s]+)["']/gm,
  /\bimport\(\s*["']([^"'\s]+)["']\s*\)/g,
];

export interface RuntimeImports {
  /** Every compiled file reached from the entries, relative to the workdir. */
  files: string[];
  /** Relative imports whose target is missing. */
  missing: string[];
  /** Packages imported by name (scoped names kept whole), node: builtins left out. */
  packages: string[];
}

/**
 * Follows the imports of the compiled entry points (static, re-exports and literal dynamic imports): what the
 * image's `node <entry>` will load. A missing relative target or a package outside the production
 * dependencies means the container fails at start.
 */
export async function runtimeImports(workdir: string, entries: string[]): Promise<RuntimeImports> {
  const seen = new Set<string>();
  const missing: string[] = [];
  const packages = new Set<string>();
  const queue = entries.map((entry) => path.join(workdir, entry));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith(".js") && !file.endsWith(".mjs")) continue;
    const text = await readFile(file, "utf8");
    for (const specifier of IMPORT_SPECIFIERS.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!))) {
      if (specifier.startsWith(".")) {
        const target = path.resolve(path.dirname(file), specifier);
        if (existsSync(target)) queue.push(target);
        else missing.push(`${path.relative(workdir, file)} -> ${specifier}`);
      } else if (!isBuiltin(specifier)) {
        const parts = specifier.split("/");
        packages.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
      }
    }
  }
  return {
    files: [...seen].map((file) => path.relative(workdir, file)).sort(),
    missing,
    packages: [...packages].sort(),
  };
}
