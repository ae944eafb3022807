/**
 * One database session, many users. PGlite has a single Postgres session, so whoever talks to it
 * (in-process code, or a socket client between Parse and Sync of an extended query or inside a
 * transaction) must hold it exclusively. A FIFO mutex keyed by holder.
 */
export class SessionGate {
  private holder: symbol | number | null = null;
  private readonly waiters: { who: symbol | number; resume: () => void }[] = [];

  get heldBy(): symbol | number | null {
    return this.holder;
  }

  async acquire(who: symbol | number): Promise<void> {
    if (this.holder === who) return;
    if (this.holder === null) {
      this.holder = who;
      return;
    }
    await new Promise<void>((resume) => this.waiters.push({ who, resume }));
  }

  release(who: symbol | number): void {
    if (this.holder !== who) return;
    const next = this.waiters.shift();
    this.holder = next ? next.who : null;
    next?.resume();
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const who = Symbol("in-process");
    await this.acquire(who);
    try {
      return await fn();
    } finally {
      this.release(who);
    }
  }
}
