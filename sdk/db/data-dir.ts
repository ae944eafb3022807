import { existsSync } from "node:fs";
import { join } from "node:path";
/** The embedded database's folder, in the working directory, when none is configured. */
export const DEFAULT_DATA_DIR_NAME = ".feedback-triage";

/** Whether `dataDir` already holds an embedded database (PGlite writes PostgreSQL's PG_VERSION file at creation). */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return existsSync(join(dataDir, "PG_VERSION"));
}
