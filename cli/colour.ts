/**
 * Colour on a terminal, as https://no-color.org and FORCE_COLOR ask: chalk (under Ink) honours FORCE_COLOR and
 * `--no-color` but not NO_COLOR, so a non-empty NO_COLOR, or `--no-color`, becomes FORCE_COLOR=0 before any of it
 * loads. An explicit FORCE_COLOR wins over NO_COLOR. Returns the environment to run with.
 */
export function colourEnvironment(env: NodeJS.ProcessEnv, args: readonly string[]): NodeJS.ProcessEnv {
  if ("FORCE_COLOR" in env && !args.includes("--no-color")) return env;
  if (args.includes("--no-color") || (env.NO_COLOR ?? "") !== "") return { ...env, FORCE_COLOR: "0" };
  return env;
}
