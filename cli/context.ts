import path from "node:path";
import type { Command } from "commander";
import type { Backend } from "../sdk/backend.js";
import type { RuntimeConfig } from "../sdk/config/runtime.js";

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

export interface WithBackendOptions {
  role?: "owner" | "auto";
  /**
   * With role "owner": when another process owns the embedded folder, say so on stderr and wait for it
   * to exit (until `signal` aborts), then take the folder over.
   */
  waitForOwner?: { signal?: AbortSignal };
}

/**
 * Opens the configured backend for one command and always closes it. When the connection to the
 * process that owned the embedded folder was lost meanwhile, the command fails with that one error
 * (whatever it tripped over first), not with a driver's.
 */
export async function withBackend<T>(
  config: RuntimeConfig,
  fn: (backend: Backend) => Promise<T>,
  options: WithBackendOptions = {},
): Promise<T> {
  const waitForOwner = options.waitForOwner && {
    signal: options.waitForOwner.signal,
    onWaiting: (owner: { pid: number; command: string }, dataDir: string) => {
      process.stderr.write(`waiting for ${owner.pid} (${owner.command || "unknown command"}) to release ${dataDir}…\n`);
    },
  };
  // Imported here, not at the top: a command's --help and its usage errors do not load the database client.
  const { openBackend } = await import("../sdk/open-backend.js");
  const backend = await openBackend({ config, role: options.role, waitForOwner });
  let result: T;
  try {
    result = await fn(backend);
  } catch (error) {
    await backend.close().catch(() => undefined);
    throw backend.connectionLost?.() ?? error;
  }
  try {
    await backend.close();
  } catch (error) {
    throw backend.connectionLost?.() ?? error;
  }
  return result;
}
