import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Transpiles a few SDK source files (paths relative to the project root) into `outDir`, keeping their
 * layout, so that a plain `node` child process can import them: tsx is not installed and Node 20
 * cannot strip types.
 */
export async function compileForChild(outDir: string, files: string[]): Promise<void> {
  await writeFile(path.join(outDir, "package.json"), '{ "type": "module" }\n');
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
