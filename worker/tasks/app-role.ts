/** Identifiers cannot be bound as parameters, so they are checked instead. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
// The runner asks Secrets Manager for an alphanumeric password, so it is safe inside a SQL literal.
const PASSWORD = /^[A-Za-z0-9]{16,128}$/;

/**
 * SQL that creates (or updates) the login role the application uses: data access on the schema the
 * migrations made, no DDL, never the master user. Safe to run on every deployment.
 */
export function appRoleStatements(role: string, password: string, database: string): string[] {
  if (!IDENTIFIER.test(role)) throw new Error(`Invalid role name ${role}`);
  if (!IDENTIFIER.test(database)) throw new Error(`Invalid database name ${database}`);
  if (!PASSWORD.test(password)) throw new Error("The application password must be 16-128 letters and digits");
  return [
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN; END IF; END $$`,
    `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`,
    `GRANT CONNECT ON DATABASE ${database} TO ${role}`,
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`,
  ];
}

/** postgres:// URL with TLS verified against the RDS CA bundle (NODE_EXTRA_CA_CERTS in the image). */
export function postgresUrl(
  user: string,
  password: string,
  host: string,
  port: number | string,
  database: string,
): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}?sslmode=verify-full`;
}
