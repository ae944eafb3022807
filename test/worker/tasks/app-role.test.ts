import { describe, expect, it } from "vitest";
import { appRoleStatements, postgresUrl } from "../../../worker/tasks/app-role.js";

describe("application database role", () => {
  it("creates a login role with data access and no DDL or admin rights", () => {
    const sql = appRoleStatements("feedback_app", "A1b2C3d4E5f6G7h8", "feedback").join(";\n");
    expect(sql).toContain("CREATE ROLE feedback_app LOGIN");
    expect(sql).toContain("NOSUPERUSER NOCREATEDB NOCREATEROLE");
    expect(sql).toContain("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO feedback_app");
    expect(sql).not.toMatch(/GRANT (ALL|CREATE)/);
  });

  it("refuses names and passwords that could break out of the SQL", () => {
    expect(() => appRoleStatements("app; DROP TABLE x", "A1b2C3d4E5f6G7h8", "feedback")).toThrow(/role name/);
    expect(() => appRoleStatements("feedback_app", "short'pw", "feedback")).toThrow(/password/);
  });

  it("builds a URL that verifies the server certificate", () => {
    expect(postgresUrl("u", "p@ss", "db.example", 5432, "feedback")).toBe(
      "postgres://u:p%40ss@db.example:5432/feedback?sslmode=verify-full",
    );
  });
});
