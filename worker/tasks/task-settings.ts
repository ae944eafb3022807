/**
 * A one-off task's settings from its environment (`variables` maps each setting to its variable), all read before
 * anything runs, so a missing one fails the task before it touches the database.
 */
export function readTaskSettings<K extends string>(
  env: NodeJS.ProcessEnv,
  variables: Record<K, string>,
): Record<K, string> {
  const entries = Object.entries<string>(variables).map(([setting, variable]) => {
    const value = env[variable];
    if (!value) throw new Error(`${variable} is not set`);
    return [setting, value];
  });
  return Object.fromEntries(entries) as Record<K, string>;
}
