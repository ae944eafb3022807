import { type PGlite, protocol } from "@electric-sql/pglite";
import type { SessionGate } from "./session-gate.js";

interface QueuedMessage {
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

interface HandlerState {
  pending: QueuedMessage[];
  draining: Promise<void> | null;
  /** The last message run was inside an extended-protocol request (Parse/Bind/Execute... before Sync). */
  midRequest: boolean;
  closed: boolean;
  cleanup: Promise<void> | null;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** Messages after which Postgres answers ReadyForQuery (or the client leaves): the session is free again. */
function endsRequest(message: Uint8Array): boolean {
  const type = message[0];
  // Typed messages never start with 0; the untyped startup packet starts with its length's high byte.
  return type === SYNC || type === QUERY || type === TERMINATE || type === 0;
}

const ignoreOutput = (): void => undefined;

/**
 * Replacement for pglite-socket's private QueryQueueManager (same method names, called by its
 * PGLiteSocketHandler). The upstream queue interleaves single protocol messages of different
 * connections, so another client's Parse can land between a Bind and its Execute ("portal does not
 * exist"). Here a connection holds the SessionGate, shared with in-process PGlite callers, from its
 * first message until a request has ended (Sync, simple Query, Terminate or the startup packet) and no
 * transaction is open. A connection that goes away has its request and transaction rolled back.
 */
export class GatedQueryQueue {
  private readonly handlers = new Map<number, HandlerState>();

  constructor(
    private readonly db: PGlite,
    private readonly gate: SessionGate,
  ) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const state = this.stateOf(handlerId);
    if (state.closed) return Promise.reject(new Error("Handler disconnected"));
    return new Promise<number>((resolve, reject) => {
      state.pending.push({ message, onData, resolve, reject });
      state.draining ??= this.drain(handlerId, state);
    });
  }

  getQueueLength(): number {
    let length = 0;
    for (const state of this.handlers.values()) length += state.pending.length;
    return length;
  }

  clearQueueForHandler(handlerId: number): void {
    const state = this.handlers.get(handlerId);
    if (!state) return;
    state.closed = true;
    for (const item of state.pending.splice(0)) item.reject(new Error("Handler disconnected"));
  }

  /** Called on disconnect (after clearQueueForHandler): gives the session back in a clean state. */
  clearTransactionIfNeeded(handlerId: number): Promise<void> {
    const state = this.handlers.get(handlerId);
    if (!state) return Promise.resolve();
    state.closed = true;
    state.cleanup ??= this.abandon(handlerId, state);
    return state.cleanup;
  }

  /** Resolves once every disconnected connection has been cleaned up (call before closing PGlite). */
  async settled(): Promise<void> {
    await Promise.all([...this.handlers.values()].map((state) => state.cleanup ?? state.draining));
  }

  private stateOf(handlerId: number): HandlerState {
    let state = this.handlers.get(handlerId);
    if (!state) {
      state = { pending: [], draining: null, midRequest: false, closed: false, cleanup: null };
      this.handlers.set(handlerId, state);
    }
    return state;
  }

  private async drain(handlerId: number, state: HandlerState): Promise<void> {
    try {
      while (state.pending.length > 0) {
        await this.gate.acquire(handlerId);
        const item = state.pending.shift();
        if (!item) break; // Cleared while waiting for the gate; abandon() releases it.
        await this.run(item);
        state.midRequest = !endsRequest(item.message);
        this.releaseIfIdle(handlerId, state);
      }
      this.releaseIfIdle(handlerId, state);
    } finally {
      // In the same synchronous step as the loop's last check: no await between them.
      state.draining = null;
    }
  }

  private async run(item: QueuedMessage): Promise<void> {
    let bytes = 0;
    try {
      await this.runMessage(item.message, (data) => {
        bytes += data.length;
        item.onData(data);
      });
      item.resolve(bytes);
    } catch (error) {
      item.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private releaseIfIdle(handlerId: number, state: HandlerState): void {
    if (state.closed || state.midRequest || this.inTransaction()) return;
    this.gate.release(handlerId);
  }

  private inTransaction(): boolean {
    try {
      return this.db.isInTransaction();
    } catch {
      return false; // PGlite was closed: there is no session left to protect.
    }
  }

  private async abandon(handlerId: number, state: HandlerState): Promise<void> {
    try {
      await state.draining;
      if (this.gate.heldBy !== handlerId) return;
      if (state.midRequest) {
        // ROLLBACK through the extended protocol aborts the request's implicit transaction (Sync alone
        // would commit it); if Postgres is skipping messages after an error, Sync ends that.
        for (const message of [
          protocol.serialize.parse({ text: "ROLLBACK" }),
          protocol.serialize.bind({}),
          protocol.serialize.execute({}),
          protocol.serialize.sync(),
        ]) {
          await this.runMessage(message, ignoreOutput);
        }
      }
      if (this.inTransaction()) await this.runMessage(protocol.serialize.query("ROLLBACK"), ignoreOutput);
    } catch {
      // PGlite is closing; nothing left to clean.
    } finally {
      this.handlers.delete(handlerId);
      this.gate.release(handlerId);
    }
  }

  private runMessage(message: Uint8Array, onRawData: (data: Uint8Array) => void): Promise<void> {
    return this.db.runExclusive(() => this.db.execProtocolRawStream(message, { onRawData }));
  }
}
