import { z } from "zod";
import { RowError as RowErrorJson } from "../ingest/ingest-summary.js";

/** What `import legacy` did (its --json output): a schema of its own, so printing it loads no CSV reader. */
export const LegacyImportSummary = z.object({
  file: z.string(),
  dryRun: z.boolean(),
  /** Data rows read (blank lines and the header excluded). */
  read: z.number().int(),
  valid: z.number().int(),
  rejected: z.number().int(),
  /** Tickets written (with --dry-run: that would be written). */
  created: z.number().int(),
  /** Valid rows whose ticket exists already (an earlier import, or the same feedback ingested): nothing written. */
  duplicates: z.number().int(),
  errors: z.array(RowErrorJson),
  errorsOmitted: z.number().int(),
});
export type LegacyImportSummary = z.infer<typeof LegacyImportSummary>;
