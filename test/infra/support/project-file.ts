import { readFileSync } from "node:fs";

export interface DeclaredKey {
  type?: string;
  description?: string;
  default?: string;
}

function scalar(raw: string): string {
  const value = raw.trim();
  if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
    return value.slice(1, -1);
  return value;
}

/** The `config:` block of a Pulumi project file (the flat two-level shape this project uses). */
export function declaredConfig(file: string): { keys: Map<string, DeclaredKey>; text: string } {
  const text = readFileSync(file, "utf8");
  const keys = new Map<string, DeclaredKey>();
  let inConfig = false;
  let current: DeclaredKey | undefined;
  for (const line of text.split("\n")) {
    if (/^\S/.test(line)) inConfig = line.startsWith("config:");
    if (!inConfig || line.trim().startsWith("#")) continue;
    const key = /^ {2}([\w:.-]+):\s*(.*)$/.exec(line);
    if (key) {
      current = {};
      keys.set(key[1]!, current);
      continue;
    }
    const field = /^ {4}(type|description|default|value):\s?(.*)$/.exec(line);
    if (field && current)
      current[field[1] === "value" ? "default" : (field[1] as keyof DeclaredKey)] = scalar(field[2]!);
  }
  return { keys, text };
}

/** Stack config file values (`project:key: value`), without the namespace. */
export function stackConfig(file: string, project: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = new RegExp(`^ {2}${project}:(\\w+):\\s*(.*)$`).exec(line);
    if (match) values[match[1]!] = scalar(match[2]!);
  }
  return values;
}
