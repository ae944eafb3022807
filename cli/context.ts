import type { Command } from "commander";
import type { Backend } from "../sdk/backend.js";
import { openBackend } from "../sdk/open-backend.js";

export interface GlobalOptions {
  dataDir?: string;
}

/** Opens the configured backend for one command and always closes it. */
export async function withBackend<T>(
  command: Command,
  fn: (backend: Backend) => Promise<T>,
  options: { role?: "owner" | "auto" } = {},
): Promise<T> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const backend = await openBackend({ dataDir: globals.dataDir, role: options.role });
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}
