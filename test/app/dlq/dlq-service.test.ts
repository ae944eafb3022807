import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deleteDeadLetters,
  deletedDeadLetterKey,
  replayDeadLetters,
  resolveDeadLetterIds,
} from "../../../app/dlq/dlq-service.js";
import { ValidationError } from "../../../sdk/errors.js";
import type { DeadLetterQueue } from "../../../sdk/ports/queue.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";

/** Sends a message and receives it until the queue dead-letters it; its id. */
async function deadLetter(fixture: TestBackend): Promise<string> {
  const [id] = await fixture.backend.queue.send([{ body: { kind: "poison" } }]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const [message] = await fixture.backend.queue.receive({ maxMessages: 1 });
    if (!message) break;
    await fixture.backend.queue.changeVisibility(message.receiptHandle, 0, "boom");
  }
  return id!;
}

describe("dlq service: ids typed as a prefix", () => {
  let fixture: TestBackend;

  beforeAll(async () => {
    fixture = await openTestBackend();
  });
  afterAll(() => fixture?.close());

  it("replays a dead letter named by a unique prefix under its whole id", async () => {
    const id = await deadLetter(fixture);
    expect(await fixture.backend.dlq.get(id)).not.toBeNull();
    expect(await replayDeadLetters(fixture.backend, { ids: [id.slice(0, 8)] })).toEqual({
      dryRun: false,
      moved: [id],
      notFound: [],
    });
  });

  it("reports an unknown prefix as not found, as typed", async () => {
    expect(await replayDeadLetters(fixture.backend, { ids: ["fffffff0"], dryRun: true })).toEqual({
      dryRun: true,
      moved: [],
      notFound: ["fffffff0"],
    });
  });

  it("refuses an ambiguous prefix, listing the candidates the DLQ found", async () => {
    const dlq = {
      ...fixture.backend.dlq,
      resolveId: async () => ["abcdef00-0000-4000-8000-000000000001", "abcdef00-0000-4000-8000-000000000002"],
    } as DeadLetterQueue;
    const failure = resolveDeadLetterIds({ ...fixture.backend, dlq }, ["abcdef00"]);
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(resolveDeadLetterIds({ ...fixture.backend, dlq }, ["abcdef00"])).rejects.toThrow(
      /abcdef00 is ambiguous.*000000000001, abcdef00-0000-4000-8000-000000000002/,
    );
  });
});

describe("dlq service: deleting dead letters", () => {
  let fixture: TestBackend;

  beforeAll(async () => {
    fixture = await openTestBackend();
  });
  afterAll(() => fixture?.close());

  it("keeps a copy of each deleted message as an artifact, then removes it from the DLQ", async () => {
    const id = await deadLetter(fixture);
    const now = new Date("2026-12-06T10:00:00Z");
    const result = await deleteDeadLetters(fixture.backend, [id.slice(0, 8)], now);
    expect(result).toEqual({ deleted: [id], notFound: [], kept: [deletedDeadLetterKey(id, now)] });
    expect(await fixture.backend.dlq.get(id)).toBeNull();
    const copy = JSON.parse(Buffer.from((await fixture.backend.artifacts.get(result.kept[0]!))!).toString("utf8"));
    expect(copy).toMatchObject({ messageId: id, body: { kind: "poison" }, lastError: expect.stringContaining("boom") });
  });

  it("reports an id that is not a dead letter as not found and keeps no copy of it", async () => {
    const unknown = "00000000-0000-4000-8000-0000000000ff";
    expect(await deleteDeadLetters(fixture.backend, [unknown])).toEqual({ deleted: [], notFound: [unknown], kept: [] });
  });
});
