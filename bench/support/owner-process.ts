import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { processCpuSeconds } from "./process-cpu.js";

export interface OwnerProcess {
  /** CPU seconds the owner has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Starts database-owner.js on `dataDir` and waits until it serves the folder. */
export async function startOwnerProcess(dataDir: string): Promise<OwnerProcess> {
  const script = fileURLToPath(new URL("./database-owner.js", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [script, dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  if (!line.toString().includes("ready")) throw new Error(`the database owner said: ${line.toString()}`);
  return {
    cpuSeconds: () => processCpuSeconds(child.pid!),
    stop: async () => {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}
