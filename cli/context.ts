import path from "node:path";
import type { Command } from "commander";
import type { Backend } from "../sdk/backend.js";
import type { RuntimeConfig } from "../sdk/config/runtime.js";
import { openBackend } from "../sdk/open-backend.js";

export interface GlobalOptions {
  dataDir?: string;
}

/** The runtime configuration from the environment, parsed once per process (bin.ts). */
export type LoadConfig = () => RuntimeConfig;

/** The configuration a command runs with: the environment's, with the global flags (--data-dir) applied. */
export function commandConfig(loadConfig: LoadConfig, command: Command): RuntimeConfig {
  const { dataDir } = command.optsWithGlobals<GlobalOptions>();
  const config = loadConfig();
  return dataDir ? { ...config, backend: { ...config.backend, dataDir: path.resolve(dataDir) } } : config;
}

/** Opens the configured backend for one command and always closes it. */
export async function withBackend<T>(
  config: RuntimeConfig,
  fn: (backend: Backend) => Promise<T>,
  options: { role?: "owner" | "auto" } = {},
): Promise<T> {
  const backend = await openBackend({ config, role: options.role });
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}
