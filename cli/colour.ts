/**
 * Colour on a terminal, as https://no-color.org and FORCE_COLOR ask: chalk (under Ink) honours FORCE_COLOR and
 * `--no-color` but not NO_COLOR, so a non-empty NO_COLOR, or `--no-color`, becomes FORCE_COLOR=0 before any of it
 * loads. An explicit FORCE_COLOR wins over NO_COLOR. Returns the environment to run with: NO_COLOR is dropped once
 * FORCE_COLOR decides (Node warns "The 'NO_COLOR' env is ignored" when both are set).
 */
export function colourEnvironment(env: NodeJS.ProcessEnv, args: readonly string[]): NodeJS.ProcessEnv {
  const { NO_COLOR: noColor, ...decided } = env;
  if ("FORCE_COLOR" in env && !args.includes("--no-color")) return "NO_COLOR" in env ? decided : env;
  if (args.includes("--no-color") || (noColor ?? "") !== "") return { ...decided, FORCE_COLOR: "0" };
  return env;
}
