import stringWidth from "string-width";
import { clip } from "../presenters/format.js";

/** `value` in exactly `cells` terminal cells (CJK and emoji count two): cut with "…", or padded with spaces. */
export function cell(value: string, cells: number): string {
  const clipped = clip(value, cells);
  return clipped + " ".repeat(Math.max(0, cells - stringWidth(clipped)));
}
