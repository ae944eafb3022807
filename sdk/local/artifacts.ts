import { randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BackendError, ValidationError } from "../errors.js";
import { type ArtifactStore, artifactKeyProblem } from "../ports/artifacts.js";

/** Where writes in progress live, inside the root so the final rename stays on one file system. */
const PARTIAL_DIR = ".partial";

/**
 * ArtifactStore over a folder: the key `reports/2026/run.json` is the file `<root>/reports/2026/run.json`.
 * Writes are atomic (a temporary file renamed into place), so readers never see half a file. Keys are
 * S3-like relative paths; `.` / `..` segments, absolute paths, backslashes and empty segments are
 * rejected with ValidationError. The content type is not stored (a file has none).
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async put(key: string, body: string | Uint8Array, _contentType?: string): Promise<{ key: string; uri: string }> {
    const target = this.pathOf(key);
    const partial = path.join(this.root, PARTIAL_DIR, `${randomUUID()}.tmp`);
    try {
      await mkdir(path.dirname(partial), { recursive: true });
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(partial, body);
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined);
      throw new BackendError(`Cannot write artifact "${key}" under ${this.root}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return { key, uri: pathToFileURL(target).href };
  }

  async get(key: string): Promise<Uint8Array | null> {
    const target = this.pathOf(key);
    try {
      const data = await readFile(target);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return null;
      throw new BackendError(`Cannot read artifact "${key}": ${(error as Error).message}`, { cause: error });
    }
  }

  /** Keys starting with `prefix` (a plain string prefix, as in S3), sorted. */
  async list(prefix: string): Promise<string[]> {
    if (prefix.includes("\\") || prefix.startsWith("/")) {
      throw new ValidationError(`Invalid artifact prefix "${prefix}"`);
    }
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    if (folder.split("/").some((segment) => segment === ".." || segment === ".")) {
      throw new ValidationError(`Invalid artifact prefix "${prefix}": "." and ".." segments are not allowed`);
    }
    const keys: string[] = [];
    await this.collect(folder, keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  private async collect(folder: string, keys: string[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(this.root, ...folder.split("/").filter(Boolean)), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return;
      throw new BackendError(`Cannot list artifacts under "${folder}": ${(error as Error).message}`, { cause: error });
    }
    for (const entry of entries) {
      if (folder === "" && entry.name === PARTIAL_DIR) continue;
      const key = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await this.collect(key, keys);
      else if (entry.isFile()) keys.push(key);
    }
  }

  private pathOf(key: string): string {
    const problem = keyProblem(key);
    if (problem) {
      throw new ValidationError(`Invalid artifact key "${key}": ${problem}`, {
        hint: "Use a relative, slash-separated path such as reports/2026-11-25/summary.json.",
      });
    }
    const target = path.join(this.root, ...key.split("/"));
    const base = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    if (!target.startsWith(base)) {
      throw new ValidationError(`Invalid artifact key "${key}": it resolves outside the artifact folder`);
    }
    return target;
  }
}

function keyProblem(key: string): string | null {
  const problem = artifactKeyProblem(key);
  if (problem) return problem;
  if (key.split("/")[0] === PARTIAL_DIR) return `"${PARTIAL_DIR}/" is reserved for writes in progress`;
  return null;
}
