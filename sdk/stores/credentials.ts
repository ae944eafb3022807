import { readFile } from "node:fs/promises";
import { ConfigurationError } from "../errors.js";
import type { CredentialRef } from "../schemas/store-source.js";

/** Reads a credential where the source names it; the value is never part of a message. */
export async function readCredential(
  ref: CredentialRef,
  what: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  if ("env" in ref) {
    const value = env[ref.env];
    if (!value) {
      throw new ConfigurationError(`The ${what} is not set: environment variable ${ref.env} is empty`, {
        hint: `Export ${ref.env}, or name a file with 'feedback-cli sources add ... --key-file <path>'.`,
      });
    }
    return value;
  }
  try {
    return await readFile(ref.file, "utf8");
  } catch (error) {
    throw new ConfigurationError(`The ${what} cannot be read from ${ref.file}`, {
      cause: error,
      hint: "Check the path and its permissions, or configure the source again with another file.",
    });
  }
}
