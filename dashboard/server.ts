/**
 * The dashboard's container entry: `node dist/dashboard/server.js`. Listens on HOST (default 0.0.0.0)
 * and PORT (default 3000); outside loopback it needs DASHBOARD_AUTH=alb (the default in AWS mode), so
 * every request but GET /health must carry the identity token the load balancer sets. DASHBOARD_WORKER=off
 * keeps the worker out of this process; `feedback-cli dashboard` starts this entry with its flags as settings.
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
    worker: process.env.DASHBOARD_WORKER !== "off",
  });
  console.log(`Dashboard on ${dashboard.url}/ (${dashboard.backend.description})`);
  console.log(dashboard.workerInProcess ? "The worker runs in this process. Ctrl-C stops both." : "Ctrl-C stops it.");
  let stopping = false;
  // A terminal's Ctrl-C reaches this process twice when `feedback-cli dashboard` started it (the
  // process group, and the CLI passing it on): stop once.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    dashboard.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  if (error instanceof FeedbackTriageError)
    console.error(`error: ${error.message}${error.hint ? `\n  ${error.hint}` : ""}`);
  else console.error(error);
  process.exit(1);
});
