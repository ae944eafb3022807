import { ensurePgliteTemplate } from "./pglite-template.js";

export default async function setup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) await ensurePgliteTemplate();
}
