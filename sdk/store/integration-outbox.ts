import type { SqlExecutor } from "../db/sql.js";
import type {
  ClaimedDelivery,
  DeliveryOutcome,
  DeliveryRecord,
  DeliveryStatus,
  IntegrationDestination,
  IntegrationEventType,
  IntegrationLink,
  IntegrationOutbox,
} from "../ports/integrations.js";
import { fullUuid } from "../schemas/id-prefix.js";

// One statement: pick the due rows no other worker holds, and lease them by moving their due time on. A ticket's
// events reach a destination one at a time and in order: a delivery is claimable only when no earlier event of the
// same ticket is still pending for that destination (leased by another worker, or waiting for its retry). Without it
// two workers could claim a ticket's created and grouped events at once, and a tracker would get two issues.
const CLAIM_DUE = `
UPDATE integration_deliveries d
SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
FROM integration_events e
WHERE e.id = d.event_id AND d.id IN (
  SELECT due.id FROM integration_deliveries due JOIN integration_events ev ON ev.id = due.event_id
  WHERE due.status = 'pending' AND due.next_attempt_at <= now()
    AND NOT EXISTS (
      SELECT 1 FROM integration_events earlier
      JOIN integration_deliveries held ON held.event_id = earlier.id AND held.destination = due.destination
      WHERE earlier.ticket_id = ev.ticket_id AND held.status = 'pending'
        AND (earlier.created_at, earlier.id) < (ev.created_at, ev.id))
  ORDER BY due.next_attempt_at LIMIT $1
  FOR UPDATE OF due SKIP LOCKED)
RETURNING d.id::text, d.event_id::text, e.type, e.data, e.created_at AS event_created_at, d.destination, d.attempts`;

const RECORD_COLUMNS = `d.id::text, d.event_id::text, e.type, e.ticket_id::text, d.destination, d.status, d.attempts,
  d.next_attempt_at, d.last_status, d.last_error, d.delivered_at, d.created_at`;

interface ClaimRow {
  id: string;
  event_id: string;
  type: IntegrationEventType;
  data: Record<string, unknown>;
  event_created_at: Date | string;
  destination: string;
  attempts: number;
}

interface RecordRow {
  id: string;
  event_id: string;
  type: IntegrationEventType;
  ticket_id: string;
  destination: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | string;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | string | null;
  created_at: Date | string;
}

const date = (value: Date | string) => new Date(value);

const LINK_COLUMNS = "destination, ticket_id::text, external_id, external_key, url, external_state";

interface LinkRow {
  destination: string;
  ticket_id: string;
  external_id: string;
  external_key: string;
  url: string;
  external_state: string | null;
}

function toLink(r: LinkRow): IntegrationLink {
  return {
    destination: r.destination,
    ticketId: r.ticket_id,
    externalId: r.external_id,
    externalKey: r.external_key,
    url: r.url,
    externalState: r.external_state,
  };
}

/** IntegrationOutbox over the integration_* tables (embedded PGlite or PostgreSQL). */
export class SqlIntegrationOutbox implements IntegrationOutbox {
  constructor(private readonly sql: SqlExecutor) {}

  async destinations(): Promise<IntegrationDestination[]> {
    const { rows } = await this.sql.query<IntegrationDestination & { secret_ref: string }>(
      `SELECT name, kind, url, secret_ref, events, enabled, settings FROM integration_destinations ORDER BY name`,
    );
    return rows.map((r) => ({
      name: r.name,
      kind: r.kind,
      url: r.url,
      secretRef: r.secret_ref,
      events: r.events,
      enabled: r.enabled,
      settings: r.settings,
    }));
  }

  async saveDestination(d: IntegrationDestination): Promise<void> {
    await this.sql.query(
      `INSERT INTO integration_destinations (name, kind, url, secret_ref, events, enabled, settings)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7::jsonb)
       ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, url = EXCLUDED.url, secret_ref = EXCLUDED.secret_ref,
         events = EXCLUDED.events, enabled = EXCLUDED.enabled, settings = EXCLUDED.settings`,
      [d.name, d.kind, d.url, d.secretRef, d.events, d.enabled, JSON.stringify(d.settings)],
    );
  }

  async linkOf(destination: string, ticketId: string): Promise<IntegrationLink | null> {
    const ticket = fullUuid(ticketId);
    if (!ticket) return null;
    const { rows } = await this.sql.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM integration_links WHERE destination = $1 AND ticket_id = $2::uuid`,
      [destination, ticket],
    );
    return rows[0] ? toLink(rows[0]) : null;
  }

  async linkByExternalId(destination: string, externalId: string): Promise<IntegrationLink | null> {
    const { rows } = await this.sql.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM integration_links WHERE destination = $1 AND external_id = $2`,
      [destination, externalId],
    );
    return rows[0] ? toLink(rows[0]) : null;
  }

  async takeAlertSlot(
    destination: string,
    key: string,
    options: { now: Date; intervalMs: number },
  ): Promise<{ taken: true } | { taken: false; opensAt: Date }> {
    const slot = `slot:${key}`;
    // The WHERE is checked again on the locked row, so of two workers racing for an open slot one takes it.
    const { rows } = await this.sql.query(
      `UPDATE integration_destinations
       SET alert_state = jsonb_set(alert_state, ARRAY[$2::text], to_jsonb($3::timestamptz + make_interval(secs => $4::float8 / 1000)))
       WHERE name = $1 AND COALESCE((alert_state->>$2)::timestamptz, '-infinity'::timestamptz) <= $3::timestamptz
       RETURNING name`,
      [destination, slot, options.now.toISOString(), options.intervalMs],
    );
    if (rows.length > 0) return { taken: true };
    const { rows: held } = await this.sql.query<{ opens_at: Date | string | null }>(
      `SELECT (alert_state->>$2)::timestamptz AS opens_at FROM integration_destinations WHERE name = $1`,
      [destination, slot],
    );
    return { taken: false, opensAt: date(held[0]?.opens_at ?? options.now) };
  }

  async reopenAlertSlot(destination: string, key: string, opensAt: Date): Promise<void> {
    await this.sql.query(
      `UPDATE integration_destinations SET alert_state = jsonb_set(alert_state, ARRAY[$2::text], to_jsonb($3::timestamptz))
       WHERE name = $1`,
      [destination, `slot:${key}`, opensAt.toISOString()],
    );
  }

  async alertBaseline(destination: string, key: string, seen: number): Promise<number> {
    const { rows } = await this.sql.query<{ baseline: string | number }>(
      `UPDATE integration_destinations
       SET alert_state = jsonb_set(alert_state, ARRAY[$2::text],
         to_jsonb(LEAST(COALESCE((alert_state->>$2)::bigint, $3::bigint), $3::bigint)))
       WHERE name = $1 RETURNING (alert_state->>$2)::bigint AS baseline`,
      [destination, `baseline:${key}`, seen],
    );
    return rows[0] === undefined ? seen : Number(rows[0].baseline);
  }

  async setAlertBaseline(destination: string, key: string, value: number): Promise<void> {
    await this.sql.query(
      `UPDATE integration_destinations SET alert_state = jsonb_set(alert_state, ARRAY[$2::text], to_jsonb($3::bigint))
       WHERE name = $1`,
      [destination, `baseline:${key}`, value],
    );
  }

  async saveLink(link: IntegrationLink): Promise<void> {
    await this.sql.query(
      `INSERT INTO integration_links (destination, ticket_id, external_id, external_key, url, external_state)
       VALUES ($1, $2::uuid, $3, $4, $5, $6)
       ON CONFLICT (destination, ticket_id) DO UPDATE SET external_id = EXCLUDED.external_id,
         external_key = EXCLUDED.external_key, url = EXCLUDED.url, external_state = EXCLUDED.external_state,
         updated_at = now()`,
      [link.destination, link.ticketId, link.externalId, link.externalKey, link.url, link.externalState],
    );
  }

  async previousData(eventId: string): Promise<Record<string, unknown> | null> {
    const { rows } = await this.sql.query<{ data: Record<string, unknown> }>(
      `SELECT p.data FROM integration_events e JOIN integration_events p ON p.ticket_id = e.ticket_id
       WHERE e.id = $1::uuid AND (p.created_at, p.id) < (e.created_at, e.id) ORDER BY p.created_at DESC, p.id DESC LIMIT 1`,
      [eventId],
    );
    return rows[0]?.data ?? null;
  }

  async claimDue(options: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
    const { rows } = await this.sql.query<ClaimRow>(CLAIM_DUE, [options.limit, options.leaseMs]);
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      type: r.type,
      data: r.data,
      eventCreatedAt: date(r.event_created_at),
      destination: r.destination,
      attempts: r.attempts,
    }));
  }

  async record(deliveryId: string, outcome: DeliveryOutcome): Promise<void> {
    if (outcome.kind === "delivered" || outcome.kind === "skipped") {
      await this.sql.query(
        `UPDATE integration_deliveries SET status = 'delivered', last_status = $2, last_error = NULL,
           delivered_at = now(), updated_at = now() WHERE id = $1::uuid`,
        [deliveryId, outcome.kind === "delivered" ? outcome.status : null],
      );
      return;
    }
    if (outcome.kind === "deferred") {
      await this.sql.query(
        `UPDATE integration_deliveries SET status = 'pending', attempts = greatest(attempts - 1, 0),
           next_attempt_at = $2::timestamptz, last_error = $3, updated_at = now() WHERE id = $1::uuid`,
        [deliveryId, outcome.retryAt.toISOString(), outcome.reason],
      );
      return;
    }
    await this.sql.query(
      `UPDATE integration_deliveries SET status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = COALESCE($4::timestamptz, next_attempt_at), last_status = $2, last_error = $3, updated_at = now()
       WHERE id = $1::uuid`,
      [deliveryId, outcome.status, outcome.error, outcome.retryAt?.toISOString() ?? null],
    );
  }

  async list(options: { status?: DeliveryStatus; destination?: string; limit: number }): Promise<DeliveryRecord[]> {
    const { rows } = await this.sql.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM integration_deliveries d JOIN integration_events e ON e.id = d.event_id
       WHERE ($1::text IS NULL OR d.status = $1) AND ($3::text IS NULL OR d.destination = $3)
       ORDER BY d.created_at DESC, d.id LIMIT $2`,
      [options.status ?? null, options.limit, options.destination ?? null],
    );
    return rows.map(toRecord);
  }

  async replay(
    target: { ids: readonly string[] } | { failed: true },
  ): Promise<{ replayed: string[]; notFound: string[] }> {
    const ids = "ids" in target ? target.ids.flatMap((id) => fullUuid(id) ?? []) : null;
    const { rows } = await this.sql.query<{ id: string }>(
      `UPDATE integration_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
       WHERE ($1::uuid[] IS NULL AND status = 'failed') OR id = ANY ($1::uuid[]) RETURNING id::text`,
      [ids],
    );
    const replayed = rows.map((r) => r.id);
    const notFound = "ids" in target ? target.ids.filter((id) => !replayed.includes(fullUuid(id) ?? id)) : [];
    return { replayed, notFound };
  }
}

function toRecord(r: RecordRow): DeliveryRecord {
  return {
    id: r.id,
    eventId: r.event_id,
    type: r.type,
    ticketId: r.ticket_id,
    destination: r.destination,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: date(r.next_attempt_at),
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: r.delivered_at === null ? null : date(r.delivered_at),
    createdAt: date(r.created_at),
  };
}
