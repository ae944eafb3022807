/**
 * The dashboard's container entry: `node dist/dashboard/server.js`. Listens on HOST (default 0.0.0.0)
 * and PORT (default 3000); outside loopback it needs DASHBOARD_AUTH=alb (the default in AWS mode), so
 * every request but GET /health must carry the identity token the load balancer sets.
 */
import { FeedbackTriageError } from "../sdk/errors.js";
import { startDashboard } from "./server/start.js";

async function main(): Promise<void> {
  const port = Number.parseInt(process.env.PORT ?? "3000", 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number, got '${process.env.PORT}'`);
  const dashboard = await startDashboard({
    host: process.env.HOST || "0.0.0.0",
    port,
    evalRoot: process.env.DASHBOARD_EVAL_DIR || null,
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
