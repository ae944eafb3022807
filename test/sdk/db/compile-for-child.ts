import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { repoRoot } from "../../support/cli.js";

const root = repoRoot;

async function expand(entry: string): Promise<string[]> {
  if (entry.endsWith(".ts")) return [entry];
  const found = await readdir(path.join(root, entry), { recursive: true });
  return found.filter((file) => file.endsWith(".ts")).map((file) => path.join(entry, file));
}

/**
 * Transpiles SDK sources (files or folders, relative to the project root) into `outDir`, keeping their
 * layout, so that a plain `node` child process can import them: Node strips types, but it does not map
 * the sources' `.js` import specifiers to their `.ts` files. node_modules and prisma/ are linked so that packages and migrations resolve as from source.
 */
export async function compileForChild(outDir: string, entries: string[]): Promise<void> {
  await writeFile(path.join(outDir, "package.json"), '{ "type": "module" }\n');
  await symlink(path.join(root, "node_modules"), path.join(outDir, "node_modules"), "dir");
  await symlink(path.join(root, "prisma"), path.join(outDir, "prisma"), "dir");
  const files = (await Promise.all(entries.map(expand))).flat();
  for (const file of files) {
    const source = await readFile(path.join(root, file), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const target = path.join(outDir, file.replace(/\.ts$/, ".js"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
}
