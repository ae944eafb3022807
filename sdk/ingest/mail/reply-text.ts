import EmailReplyParser from "email-reply-parser";

/** Lines that open a forwarded message in the common clients (Gmail, Outlook, Apple Mail, Thunderbird). */
const FORWARD_MARKER =
  /^(-{2,}\s*(Forwarded message|Original Message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado)\s*-{2,}|Begin forwarded message:|-------- Forwarded Message --------)\s*$/im;

export interface ReplyText {
  /** What the sender wrote: quoted replies and signatures removed; a forwarded message kept whole. */
  text: string;
  /** True when something was removed (the original is then worth keeping beside it). */
  stripped: boolean;
}

/**
 * The part of a mail body its sender wrote, by GitHub's reply-parsing rules (email-reply-parser): quoted
 * history ("On ... wrote:" and the `>` lines after it) and signatures go, the reply stays. A forwarded message
 * is the point of a forward, so from its marker on the body is kept as it is; only the note above it is parsed.
 */
export function replyText(body: string): ReplyText {
  const normalized = body.replace(/\r\n/g, "\n").trim();
  const marker = FORWARD_MARKER.exec(normalized);
  if (marker) {
    const note = visible(normalized.slice(0, marker.index));
    const forwarded = normalized.slice(marker.index).trim();
    const text = note ? `${note}\n\n${forwarded}` : forwarded;
    return { text, stripped: text !== normalized };
  }
  const text = visible(normalized);
  // A body that is nothing but quote (a bare forward or an empty reply) keeps its text rather than none.
  if (!text) return { text: normalized, stripped: false };
  return { text, stripped: text !== normalized };
}

/**
 * Quote headers and signature delimiters are short lines; the parser's patterns take super-linear time on very long
 * ones (a 48,000-character HTML line took 23 s), so those are set aside as placeholders and put back afterwards.
 */
const LONG_LINE_CHARS = 1_000;

function visible(text: string): string {
  if (!text.trim()) return "";
  const long: string[] = [];
  const shortLines = text
    .split("\n")
    .map((line) => (line.length > LONG_LINE_CHARS ? `long-line-${long.push(line) - 1}-placeholder` : line))
    .join("\n");
  const reply = new EmailReplyParser().read(shortLines).getVisibleText().trim();
  return long.length === 0
    ? reply
    : reply.replace(/long-line-(\d+)-placeholder/g, (_, i: string) => long[Number(i)] ?? "");
}
