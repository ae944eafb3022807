/** Small text helpers for the plain (non-Ink) presenters. */
export function table(headers: string[], rows: string[][], maxWidths: number[] = []): string {
  const widths = headers.map((h, i) =>
    Math.min(maxWidths[i] ?? 200, Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length))),
  );
  const cell = (value: string, i: number) => {
    const width = widths[i]!;
    const clipped = value.length > width ? `${value.slice(0, Math.max(0, width - 1))}…` : value;
    return clipped.padEnd(width);
  };
  const line = (cells: string[]) => cells.map(cell).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).filter(([, n]) => n > 0);
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(", ") : "none";
}

/** Feedback text is untrusted: strip terminal control sequences before printing it. */
export function safeText(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "").replace(/\s+/g, " ");
}
