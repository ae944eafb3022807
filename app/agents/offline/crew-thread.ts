/**
 * The offline crew's worker thread (see threaded-crew.ts): answers each triage request with the crew's results,
 * so that triage runs on another core while the main thread writes the previous batch.
 */
import { parentPort } from "node:worker_threads";
import type { CrewReply, CrewRequest } from "./crew-thread-messages.js";
import { createOfflineAgents } from "./index.js";

const port = parentPort;
if (!port) throw new Error("crew-thread.js runs as a worker thread (see threaded-crew.ts)");
const crew = createOfflineAgents();
port.on("message", async (request: CrewRequest) => {
  let reply: CrewReply;
  try {
    reply = { id: request.id, results: await crew.triage(request.items, request.config) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies CrewReply);
