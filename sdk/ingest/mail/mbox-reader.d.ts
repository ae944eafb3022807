// mbox-reader (postalsys) ships no types; the part of its API this project uses.
declare module "mbox-reader" {
  import type { Readable } from "node:stream";

  export interface MboxMessage {
    /** The address on the `From ` separator line. */
    returnPath: string;
    /** The separator line's date; false when it does not parse. */
    time: Date | false;
    /** The RFC 822 message, `>From ` lines unescaped. */
    content: Buffer;
    headers: Map<string, string[]>;
    flags: Set<string>;
    labels: Set<string>;
  }

  export function mboxReader(
    source: Readable,
    options?: { gz?: boolean },
  ): AsyncGenerator<MboxMessage, void, undefined>;
}
