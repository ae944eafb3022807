import { z } from "zod";
import { LastPull, StoreKind } from "../../sdk/schemas/store-source.js";

/** A source as `sources list` shows it: where its credentials are read, never what they are. */
export const SourceView = z.object({
  name: z.string(),
  store: StoreKind,
  app: z.string(),
  credentials: z.string(),
  watermark: z.string().nullable(),
  resuming: z.boolean(),
  lastPull: LastPull.nullable(),
});
export type SourceView = z.infer<typeof SourceView>;

export const SourceTest = z.object({
  name: z.string(),
  ok: z.boolean(),
  /** Reviews on the first page (the newest), when it could be read. */
  reviews: z.number().int().nonnegative().nullable(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().nullable() }).nullable(),
});
export type SourceTest = z.infer<typeof SourceTest>;
