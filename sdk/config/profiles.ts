import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";

/**
 * A named target for the CLI (`feedback-cli --profile prod ...`): a deployed stack's outputs file, its region and
 * AWS credentials profile, a database, and any other setting by its variable name. Paths are relative to the
 * profiles file.
 */
export const Profile = z
  .object({
    stackOutputs: z.string().min(1).optional(),
    /** The stack's operator API (output `operatorApiUrl`): tickets commands go through it, signed with `awsProfile`. */
    operatorApiUrl: z
      .url({ protocol: /^https?$/, error: "an http(s) URL (the stack output operatorApiUrl)" })
      .optional(),
    region: z.string().min(1).optional(),
    awsProfile: z.string().min(1).optional(),
    databaseUrl: z.string().min(1).optional(),
    backend: z.enum(["aws", "local"]).optional(),
    dataDir: z.string().min(1).optional(),
    env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, "a variable name (A-Z, 0-9, _)"), z.string()).optional(),
  })
  .strict();
export type Profile = z.infer<typeof Profile>;

export const ProfilesFile = z.object({ profiles: z.record(z.string().min(1), Profile) }).strict();

type Env = Readonly<Record<string, string | undefined>>;

/** Where profiles live: FEEDBACK_PROFILES_FILE, else $XDG_CONFIG_HOME (or ~/.config)/feedback-triage/profiles.json. */
export function profilesPath(env: Env): string {
  if (env.FEEDBACK_PROFILES_FILE) return path.resolve(env.FEEDBACK_PROFILES_FILE);
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  return path.join(base, "feedback-triage", "profiles.json");
}

const EXAMPLE =
  '{ "profiles": { "prod": { "stackOutputs": "prod-stack.json", "region": "eu-west-1", "awsProfile": "acme-prod" } } }';

function readProfiles(file: string): z.infer<typeof ProfilesFile> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new ConfigurationError(`No profiles file at ${file}.`, {
      cause,
      hint: `Create it (or point FEEDBACK_PROFILES_FILE at one), e.g. ${EXAMPLE}`,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfigurationError(`${file} is not valid JSON (${(cause as Error).message}).`, {
      cause,
      hint: `It should look like ${EXAMPLE}`,
    });
  }
  const parsed = ProfilesFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
    throw new ConfigurationError(`${file}: ${problems}.`, {
      hint: "Allowed keys of a profile: stackOutputs, operatorApiUrl, region, awsProfile, databaseUrl, backend, dataDir, env.",
    });
  }
  return parsed.data;
}

const expandHome = (value: string) =>
  value === "~" || value.startsWith("~/") ? path.join(os.homedir(), value.slice(1)) : value;

/**
 * The variables profile `name` sets, to lay over the environment before the configuration is parsed (the AWS SDK
 * reads AWS_PROFILE and AWS_REGION from the environment itself). An unknown name is an error listing the known ones.
 */
export function profileEnvironment(env: Env, name: string): Record<string, string> {
  const file = profilesPath(env);
  const { profiles } = readProfiles(file);
  const profile = profiles[name];
  if (!profile) {
    const known = Object.keys(profiles);
    throw new ConfigurationError(`No profile "${name}" in ${file}.`, {
      hint: known.length ? `Known profiles: ${known.join(", ")}.` : `Add one under "profiles", e.g. ${EXAMPLE}`,
    });
  }
  const resolve = (value: string) => path.resolve(path.dirname(file), expandHome(value));
  const vars: Record<string, string> = { ...profile.env };
  if (profile.stackOutputs) vars.FEEDBACK_STACK_OUTPUTS = resolve(profile.stackOutputs);
  if (profile.operatorApiUrl) {
    vars.FEEDBACK_OPERATOR_API_URL = profile.operatorApiUrl;
    vars.FEEDBACK_BACKEND ??= "aws";
  }
  if (profile.region) vars.AWS_REGION = profile.region;
  if (profile.awsProfile) vars.AWS_PROFILE = profile.awsProfile;
  if (profile.databaseUrl) vars.DATABASE_URL = profile.databaseUrl;
  if (profile.backend) vars.FEEDBACK_BACKEND = profile.backend;
  if (profile.dataDir) vars.FEEDBACK_DATA_DIR = resolve(profile.dataDir);
  return vars;
}
