import { readdirSync, readFileSync } from "node:fs";

// Linux /proc: a process's stat fields after its name; clock ticks of 1/100 s.
const TICKS_PER_SECOND = 100;

function statFields(pid: number | string): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  } catch {
    return null; // gone meanwhile
  }
}

/** CPU seconds a process has used so far. */
export function processCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : 0;
}

/**
 * CPU seconds used so far by every PostgreSQL server process on this machine (the bench's server is local), the
 * children it has reaped included: the server's share of an item, beside the process's own.
 */
export function postgresServerCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let name: string;
    try {
      name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    } catch {
      continue;
    }
    if (name !== "postgres") continue;
    const fields = statFields(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / TICKS_PER_SECOND;
}
