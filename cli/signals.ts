/**
 * How the long-running commands (worker, serve, dashboard, ingest) stop on SIGINT (Ctrl-C) and SIGTERM:
 * the first signal aborts `controller`, and the command stops after the batch in hand (or releases it)
 * and exits normally; a second signal exits at once with 128 + the signal's number (130, 143), without
 * waiting for anything.
 */
export type StopSignal = "SIGINT" | "SIGTERM";

export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalStop {
  /** Aborted by the first signal; its reason is the signal's name. */
  readonly signal: AbortSignal;
  /** The first signal received, or null. */
  readonly received: StopSignal | null;
  /** Removes the handlers, once the command is done: a later signal then acts as by default. */
  dispose(): void;
}

export interface StopOnSignalsOptions {
  /** Printed on stderr at the first signal (what is being waited for). */
  notice?: string;
  /** Called at the second signal, just before the exit (e.g. to kill a child process). */
  onForce?: (signal: StopSignal) => void;
}

export function stopOnSignals(
  controller: AbortController = new AbortController(),
  options: StopOnSignalsOptions = {},
): SignalStop {
  let received: StopSignal | null = null;
  const handle = (signal: StopSignal) => {
    if (received === null) {
      received = signal;
      const notice = options.notice ?? "Stopping after the work in hand";
      process.stderr.write(`\n${notice} (${signal}; send it again to quit at once).\n`);
      controller.abort(signal);
      return;
    }
    options.onForce?.(signal);
    process.exit(SIGNAL_EXIT_CODES[signal]);
  };
  const onInt = () => handle("SIGINT");
  const onTerm = () => handle("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    },
  };
}

/** Runs `fn` with the handlers installed and removes them when it settles. */
export async function withSignalStop<T>(
  fn: (stop: SignalStop) => Promise<T>,
  options: StopOnSignalsOptions & { controller?: AbortController } = {},
): Promise<T> {
  const stop = stopOnSignals(options.controller, options);
  try {
    return await fn(stop);
  } finally {
    stop.dispose();
  }
}
