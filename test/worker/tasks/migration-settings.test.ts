import { describe, expect, it } from "vitest";
import { readMigrationTaskSettings } from "../../../worker/tasks/migration-settings.js";

const ENV = {
  DB_HOST: "db.internal",
  DB_PORT: "5432",
  DB_NAME: "feedback",
  DB_MASTER_USERNAME: "master",
  DB_MASTER_PASSWORD: "m4ster",
  APP_DB_USERNAME: "feedback_app",
  APP_DB_PASSWORD: "A1b2C3d4E5f6G7h8",
};

describe("migration task settings", () => {
  it("reads the connection, the master credentials and the application role from the environment", () => {
    expect(readMigrationTaskSettings(ENV)).toEqual({
      host: "db.internal",
      port: "5432",
      database: "feedback",
      masterUsername: "master",
      masterPassword: "m4ster",
      appUsername: "feedback_app",
      appPassword: "A1b2C3d4E5f6G7h8",
    });
  });

  it("names the variable that is missing or empty", () => {
    expect(() => readMigrationTaskSettings({ ...ENV, APP_DB_PASSWORD: undefined })).toThrow(
      "APP_DB_PASSWORD is not set",
    );
    expect(() => readMigrationTaskSettings({ ...ENV, DB_HOST: "" })).toThrow("DB_HOST is not set");
  });
});
