/** Where a JSON text nests deeper than allowed: the 0-based character index of the bracket that does. */
export interface JsonNestingFault {
  maxDepth: number;
  index: number;
}

/**
 * Scans JSON text for objects and arrays nested more than `maxDepth` levels, without parsing or recursing,
 * so it is safe on any input: run it before anything that walks the parsed value recursively (validators,
 * canonical hashing, JSON.stringify), which thousands of levels would overflow. Brackets inside strings are
 * skipped; text that is not JSON is left for JSON.parse to refuse.
 */
export function findJsonNestingFault(text: string, maxDepth: number): JsonNestingFault | null {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c /* \ */) index++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      if (++depth > maxDepth) return { maxDepth, index };
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) depth--;
  }
  return null;
}
