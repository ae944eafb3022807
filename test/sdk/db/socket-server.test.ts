import net from "node:net";
import { type PGlite, protocol } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatedQueryQueue } from "../../../sdk/db/gated-query-queue.js";
import { type Database, openDatabase } from "../../../sdk/db/open-database.js";
import { readOwner } from "../../../sdk/db/owner-lock.js";
import { SessionGate } from "../../../sdk/db/session-gate.js";
import { installGatedQueue } from "../../../sdk/db/socket-server.js";
import { ConfigurationError } from "../../../sdk/errors.js";
import { migratedDataDir, removeTempDirs } from "./embedded-folder.js";

describe("pglite-socket's private query queue", () => {
  it("is a field named queryQueue with the methods the replacement implements (pglite-socket 0.2.17)", async () => {
    const db = {} as PGlite; // The constructor only stores it.
    const server = new PGLiteSocketServer({ db, port: 0 });
    const original = (server as unknown as { queryQueue: object }).queryQueue;
    for (const method of ["enqueue", "clearQueueForHandler", "clearTransactionIfNeeded", "getQueueLength"]) {
      expect(typeof (original as Record<string, unknown>)[method]).toBe("function");
    }
    const queue = new GatedQueryQueue(db, new SessionGate());
    installGatedQueue(server, queue);
    expect((server as unknown as { queryQueue: object }).queryQueue).toBe(queue);
    expect(server.getStats().queuedQueries).toBe(0);
  });

  it("refuses with a ConfigurationError when the field has changed shape", () => {
    const fake = { queryQueue: { enqueue() {} } } as unknown as PGLiteSocketServer;
    expect(() => installGatedQueue(fake, {} as GatedQueryQueue)).toThrow(ConfigurationError);
  });
});

describe("the owner's socket shares one session safely", () => {
  let dataDir: string;
  let owner: Database;
  let port: number;

  beforeAll(async () => {
    dataDir = await migratedDataDir();
    owner = await openDatabase({ dataDir });
    port = (await readOwner(dataDir))!.port!;
    await owner.sql.exec(`CREATE TABLE probe (id serial PRIMARY KEY, who text NOT NULL, n int NOT NULL)`);
  });
  afterAll(async () => {
    await owner?.close();
    await removeTempDirs();
  });

  const connect = async () => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres" });
    await client.connect();
    return client;
  };
  const count = async (who: string) =>
    Number(
      (await owner.sql.query<{ c: number }>(`SELECT count(*)::int AS c FROM probe WHERE who = $1`, [who])).rows[0]?.c,
    );

  it("runs 3 socket clients x 200 parameterised queries and transactions beside in-process queries without errors", async () => {
    const clients = await Promise.all([connect(), connect(), connect()]);
    const socketWork = clients.map(async (client, c) => {
      const who = `socket-${c}`;
      for (let i = 0; i < 200; i++) {
        if (i % 3 === 0) {
          await client.query("BEGIN");
          await client.query("INSERT INTO probe (who, n) VALUES ($1, $2)", [who, i]);
          const { rows } = await client.query("SELECT count(*)::int AS c FROM probe WHERE who = $1", [who]);
          expect(rows[0].c).toBeGreaterThan(0);
          await client.query("COMMIT");
        } else if (i % 3 === 1) {
          await client.query("INSERT INTO probe (who, n) VALUES ($1, $2)", [who, i]);
        } else {
          const { rows } = await client.query("SELECT max(n) AS m FROM probe WHERE who = $1 AND n < $2", [who, i]);
          expect(rows[0].m).toBe(i - 1);
        }
      }
    });
    const ownerWork = (async () => {
      for (let i = 0; i < 200; i++) {
        if (i % 2 === 0) {
          await owner.sql.transaction(async (tx) => {
            await tx.query("INSERT INTO probe (who, n) VALUES ($1, $2)", ["owner", i]);
            await tx.query("INSERT INTO probe (who, n) VALUES ($1, $2)", ["owner", -i - 1]);
          });
        } else {
          await owner.sql.query("INSERT INTO probe (who, n) VALUES ($1, $2)", ["owner", i]);
        }
      }
    })();
    await Promise.all([...socketWork, ownerWork]);
    await Promise.all(clients.map((client) => client.end()));
    // 2 of every 3 socket iterations insert a row: 134 of 200.
    for (let c = 0; c < 3; c++) expect(await count(`socket-${c}`)).toBe(134);
    expect(await count("owner")).toBe(300);
  });

  it("rolls back the open transaction of a client that disconnects, and frees the session", async () => {
    const client = await connect();
    client.on("error", () => undefined);
    await client.query("BEGIN");
    await client.query("INSERT INTO probe (who, n) VALUES ('vanished-tx', 1)");
    (client as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
    // Would wait forever if the gate stayed with the vanished connection.
    expect(await count("vanished-tx")).toBe(0);
    await owner.sql.query("INSERT INTO probe (who, n) VALUES ('after-vanish', 1)");
    expect(await count("after-vanish")).toBe(1);
  });

  it("aborts an extended-protocol request whose client left before Sync instead of committing it", async () => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const executed = new Promise<void>((resolve) => {
      socket.on("data", (chunk) => {
        received += chunk.toString("latin1");
        if (received.includes("INSERT 0 1")) resolve();
      });
    });
    socket.write(protocol.serialize.startup({ user: "postgres", database: "postgres" }));
    socket.write(protocol.serialize.parse({ text: "INSERT INTO probe (who, n) VALUES ('no-sync', 1)" }));
    socket.write(protocol.serialize.bind({}));
    socket.write(protocol.serialize.execute({}));
    await executed;
    socket.destroy();
    expect(await count("no-sync")).toBe(0);
    const other = await connect();
    const { rows } = await other.query("SELECT $1::int + 1 AS x", [41]);
    expect(rows).toEqual([{ x: 42 }]);
    await other.end();
  });

  it("keeps a failed transaction of one client from affecting the next", async () => {
    const a = await connect();
    const b = await connect();
    await a.query("BEGIN");
    await expect(a.query("SELECT * FROM no_such_table WHERE id = $1", [1])).rejects.toThrow(/no_such_table/);
    const fromB = b.query("SELECT $1::text AS v", ["b"]);
    await a.query("ROLLBACK");
    expect((await fromB).rows).toEqual([{ v: "b" }]);
    await Promise.all([a.end(), b.end()]);
  });
});
