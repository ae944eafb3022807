import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module script without type declarations
import { databaseTests } from "../../scripts/database-tests.mjs";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function treeOf(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "database-tests-"));
  roots.push(root);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

describe("database-tests (the files CI runs again on PostgreSQL)", () => {
  it("selects a test that reads TEST_DATABASE_URL through a chain of support modules", async () => {
    const root = await treeOf({
      "test/support/database.ts": "export const url = process.env.TEST_DATABASE_URL;",
      "test/support/backend.ts": 'export { url } from "./database.js";',
      "test/store/tickets.test.ts": 'import { url } from "../support/backend.js";',
    });
    expect(databaseTests(root)).toEqual(["test/store/tickets.test.ts"]);
  });

  it("leaves out tests no backend switch reaches, and support modules that are not tests", async () => {
    const root = await treeOf({
      "test/support/database.ts": 'export const backend = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";',
      "test/support/factories.ts": "export const make = () => ({});",
      "test/parse/csv.test.ts": 'import { make } from "../support/factories.js";',
      "test/uses-backend.test.tsx": 'import { backend } from "./support/database.js";',
    });
    expect(databaseTests(root)).toEqual(["test/uses-backend.test.tsx"]);
  });

  it("selects the repository's store tests and leaves its infra tests to the PGlite run", () => {
    const selected = databaseTests(repoRoot);
    expect(selected).toContain("test/sdk/store/ticket-repository.test.ts");
    expect(selected).toContain("test/cli/tickets-export.test.ts");
    expect(selected).not.toContain("test/infra/images.test.ts");
  });
});
