import path from "node:path";
import { defineConfig } from "prisma/config";

// A real engine given by the environment still wins; the stub lets `prisma generate` run offline.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "prisma/engine-stub/schema-engine");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/feedback" },
});
