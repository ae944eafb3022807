/**
 * A process that owns an embedded database folder and serves it, as a `feedback-cli worker` does, so that a bench
 * can run its pipeline in another process through the owner's socket: the database's work then runs on another
 * core. Prints "ready" once serving; SIGTERM closes it.
 *
 *   node dist/bench/support/database-owner.js <data folder>
 */
import { openDatabase } from "../../sdk/db/open-database.js";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: database-owner.js <data folder>");
const db = await openDatabase({ dataDir, waitForClientsOnCloseMs: 0 });
const keepAlive = setInterval(() => undefined, 60_000);
process.once("SIGTERM", () => {
  clearInterval(keepAlive);
  void db.close().then(() => process.exit(0));
});
console.log("ready");
