import pg from "pg";
import { it } from "vitest";
import { openDatabase } from "../../sdk/db/open-database.js";
import { readOwner } from "../../sdk/db/owner-lock.js";
import { migratedDataDir } from "./embedded-folder.js";

it("probe", async () => {
  const dataDir = await migratedDataDir();
  console.log("dir", dataDir);
  const owner = await openDatabase({ dataDir });
  const info = await readOwner(dataDir);
  console.log("owner", info);
  const client = new pg.Client({ host: "127.0.0.1", port: info!.port!, user: "postgres", database: "postgres" });
  client.on("error", (e) => console.log("client error", e));
  const t = setTimeout(() => console.log("connect stuck"), 3000);
  await client.connect();
  clearTimeout(t);
  console.log("connected");
  console.log((await client.query("SELECT $1::int AS x", [1])).rows);
  console.log((await owner.sql.query("SELECT 2 AS y")).rows);
  await client.end();
  await owner.close();
}, 20000);
