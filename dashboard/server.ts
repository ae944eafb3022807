/**
 * The dashboard's container entry: `node dist/dashboard/server.js`. Listens on HOST (default 0.0.0.0)
 * and PORT (default 3000); outside loopback it needs DASHBOARD_AUTH=alb (the default in AWS mode), so
 * every request but GET /health must carry the identity token the load balancer sets. DASHBOARD_WORKER=false
 * keeps the worker out of this process; `feedback-cli dashboard` starts this entry with its flags as settings.
 */
import { loadRuntimeConfig } from "../sdk/config/runtime.js";
import { FeedbackTriageError } from "../sdk/errors.js";
import { createLog, logFormatFor } from "../sdk/log.js";
import { startTracing } from "../sdk/tracing/setup.js";
import { startDashboard } from "./server/start.js";

async function main(): Promise<void> {
  const config = loadRuntimeConfig(process.env);
  const tracing = startTracing(config.tracing, { service: "dashboard" });
  const dashboard = await startDashboard({
    config,
    host: config.dashboard.host,
    port: config.dashboard.port,
    evalRoot: config.dashboard.evalDir,
    worker: config.dashboard.worker,
    workerLog: createLog(config.log.level, logFormatFor(process.stdout, config.cli.ci)),
  });
  console.log(`Dashboard on ${dashboard.url}/ (${dashboard.backend.description})`);
  console.log(dashboard.workerInProcess ? "The worker runs in this process. Ctrl-C stops both." : "Ctrl-C stops it.");
  let stopping = false;
  // A terminal's Ctrl-C reaches this process twice when `feedback-cli dashboard` started it (the
  // process group, and the CLI passing it on): stop once.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    dashboard
      .close()
      .then(() => tracing.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // Started by `feedback-cli dashboard` (with an IPC channel): stop too when that process goes away.
  if (process.connected) process.once("disconnect", stop);
}

main().catch((error: unknown) => {
  if (error instanceof FeedbackTriageError)
    console.error(`error: ${error.message}${error.hint ? `\n  ${error.hint}` : ""}`);
  else console.error(error);
  process.exit(1);
});
