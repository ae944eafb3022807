/**
 * The dashboard's container entry: `node dist/dashboard/server.js`. Listens on HOST (default 0.0.0.0)
 * and PORT (default 3000); outside loopback it needs DASHBOARD_AUTH=alb (the default in AWS mode), so
 * every request but GET /health must carry the identity token the load balancer sets.
 */
import { loadRuntimeConfig } from "../sdk/config/runtime.js";
import { FeedbackTriageError } from "../sdk/errors.js";
import { startDashboard } from "./server/start.js";

async function main(): Promise<void> {
  const config = loadRuntimeConfig(process.env);
  const dashboard = await startDashboard({
    config,
    host: config.dashboard.host,
    port: config.dashboard.port,
    evalRoot: config.dashboard.evalDir,
  });
  console.log(`Dashboard listening on ${dashboard.url} (${dashboard.backend.description})`);
  const stop = () => {
    dashboard.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  if (error instanceof FeedbackTriageError)
    console.error(`error: ${error.message}${error.hint ? `\n  ${error.hint}` : ""}`);
  else console.error(error);
  process.exit(1);
});
