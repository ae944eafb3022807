#!/usr/bin/env node
// Prints the test files whose outcome depends on TEST_DATABASE_URL: those that read it (or `testBackend`)
// themselves or import, directly or through other test modules, a module that does. CI runs the whole suite
// on PGlite and then only these on PostgreSQL; the others (units, infra, parsers) would repeat the same run.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const BACKEND_SWITCH = /TEST_DATABASE_URL|\btestBackend\b/;
const RELATIVE_IMPORT = /(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g;

/** Every .ts/.tsx file under `dir` (fixtures hold data, not modules). */
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The files a module imports by relative path, resolved to the .ts/.tsx file that exists. */
function importsOf(file, known) {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(RELATIVE_IMPORT)]
    .map((match) => resolve(dirname(file), match[1]).replace(/\.js$/, ""))
    .flatMap((base) => [`${base}.ts`, `${base}.tsx`].filter((candidate) => known.has(candidate)));
}

export function databaseTests(root) {
  const files = sourceFiles(join(root, "test")).map((file) => resolve(file));
  const known = new Set(files);
  const graph = new Map(files.map((file) => [file, importsOf(file, known)]));
  const switches = new Map();
  const dependsOnBackend = (file, visiting = new Set()) => {
    if (switches.has(file)) return switches.get(file);
    if (visiting.has(file)) return false;
    visiting.add(file);
    const result =
      BACKEND_SWITCH.test(readFileSync(file, "utf8")) ||
      graph.get(file).some((dependency) => dependsOnBackend(dependency, visiting));
    switches.set(file, result);
    return result;
  };
  return files
    .filter((file) => /\.test\.tsx?$/.test(file) && dependsOnBackend(file))
    .map((file) => relative(root, file))
    .sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  console.log(databaseTests(root).join("\n"));
}
