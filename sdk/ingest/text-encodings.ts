/** The encodings `ingest --encoding` accepts (a module of its own: the CLI's option list loads no decoder). */
export const TEXT_ENCODINGS = ["utf-8", "utf-16le", "utf-16be", "windows-1252", "latin1"] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];
