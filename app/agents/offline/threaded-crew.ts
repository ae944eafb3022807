import { Worker } from "node:worker_threads";
import type { TriageAgents, TriageResult } from "../../../sdk/ports/agents.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import type { CrewReply, CrewRequest } from "./crew-thread-messages.js";
import { createOfflineAgents } from "./index.js";

export interface ThreadedCrewOptions {
  /**
   * Items to triage in this thread before the crew thread is started (default 1,000): a small job finishes
   * before a thread would have loaded the crew (about a second), so only a backlog pays for one.
   */
  startAfterItems?: number;
  /** Told once when the thread cannot start or stops; the crew then triages in the calling thread. */
  onThreadError?: (error: Error) => void;
  /** The thread's module; default the compiled crew-thread.js. */
  threadModule?: URL;
}

export interface ThreadedAgents extends TriageAgents {
  /** Whether batches now go to the crew thread (it started and loaded the crew). */
  readonly usingThread: () => boolean;
  close(): Promise<void>;
}

/**
 * The offline crew in a worker thread, so that triage runs on another core while the worker writes the previous
 * batch (on PGlite the database runs in the main thread). Same results as `createOfflineAgents`: until the thread is
 * ready, and if it fails, batches are triaged here by the same crew.
 */
export function createThreadedOfflineAgents(options: ThreadedCrewOptions = {}): ThreadedAgents {
  const local = createOfflineAgents();
  const startAfter = options.startAfterItems ?? 1_000;
  let triagedHere = 0;
  let thread: CrewThread | null = null;
  let failed = false;
  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    options.onThreadError?.(error);
  };
  return {
    name: local.name,
    usingThread: () => Boolean(thread?.ready) && !failed,
    async triage(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<TriageResult[]> {
      if (!failed && !thread && triagedHere >= startAfter)
        thread = new CrewThread(options.threadModule ?? compiledThreadModule(), fail);
      if (thread?.ready && !failed) {
        try {
          return await thread.triage(items, config);
        } catch (error) {
          if (!(error instanceof ThreadStopped)) throw error;
        }
      }
      triagedHere += items.length;
      return local.triage(items, config);
    },
    close: async () => {
      await thread?.close();
    },
  };
}

/** crew-thread.js beside this module once compiled; from the TypeScript sources (tests), its compiled twin in dist/. */
function compiledThreadModule(): URL {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith(".ts")
    ? new URL("../../../dist/app/agents/offline/crew-thread.js", here)
    : new URL("./crew-thread.js", here);
}

class ThreadStopped extends Error {}

class CrewThread {
  ready = false;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: TriageResult[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private stopped = false;

  constructor(module: URL, onError: (error: Error) => void) {
    // Not the process's own flags: `node -e <script>` would hand the thread the script instead of its module.
    this.worker = new Worker(module, { execArgv: [] });
    // Idle, the thread must not keep the process alive; ref'd while a batch is out (see `settle`).
    this.worker.unref();
    this.worker.on("message", (reply: CrewReply) => this.receive(reply));
    this.worker.on("error", (error) => {
      onError(error);
      this.stop(error);
    });
    this.worker.on("exit", (code) => {
      if (!this.stopped) onError(new Error(`The crew thread exited (code ${code})`));
      this.stop(new Error("The crew thread stopped"));
    });
  }

  triage(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<TriageResult[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, items, config } satisfies CrewRequest);
    });
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.worker.terminate();
  }

  private receive(reply: CrewReply): void {
    if ("ready" in reply) {
      this.ready = true;
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.settle(reply.id);
    if ("results" in reply) waiting.resolve(reply.results);
    else waiting.reject(new Error(reply.error));
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  private stop(error: Error): void {
    this.stopped = true;
    this.ready = false;
    for (const [id, waiting] of this.pending) {
      this.settle(id);
      waiting.reject(new ThreadStopped(error.message, { cause: error }));
    }
  }
}
