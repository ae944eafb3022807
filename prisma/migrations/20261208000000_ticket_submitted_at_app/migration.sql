-- The feedback's own time and its app on every ticket (issue 14, item 5). Both nullable: a source without a date
-- or an app leaves them null. Trends bucket by COALESCE(submitted_at, created_at): the feedback's time, else the
-- time it was triaged.
ALTER TABLE "tickets" ADD COLUMN "submitted_at" TIMESTAMPTZ(3);
ALTER TABLE "tickets" ADD COLUMN "app" TEXT;

-- Backfill from the stored feedback item (feedback_items.payload, the FeedbackItem as ingested): its submittedAt,
-- and its app; items stored before `app` existed kept Play Console's "Package Name" (or an `app` column) in
-- metadata. A value that is not a timestamp leaves submitted_at null rather than failing the migration.
UPDATE "tickets" t SET
  "submitted_at" = CASE
    WHEN fi."payload"->>'submittedAt' ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$'
      THEN (fi."payload"->>'submittedAt')::timestamptz
  END,
  "app" = NULLIF(btrim(COALESCE(
    fi."payload"->>'app',
    fi."payload"->'metadata'->>'Package Name',
    fi."payload"->'metadata'->>'app',
    fi."payload"->'metadata'->>'app_id',
    fi."payload"->'metadata'->>'package_name'
  )), '')
FROM "feedback_items" fi
WHERE fi."id" = t."feedback_item_id"
  AND (fi."payload" ? 'submittedAt' OR fi."payload" ? 'app' OR fi."payload" ? 'metadata');

-- One spelling per platform and OS in the tickets' technical details (the table of sdk/schemas/platform.ts):
-- "ios", "IOS", "App Store" -> "iOS"; "android", "Google Play" -> "Android"; "ios 17" -> "iOS 17".
CREATE FUNCTION pg_temp.canonical_platform(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE regexp_replace(lower(name), '[^a-z]', '', 'g')
    WHEN 'ios' THEN 'iOS' WHEN 'iphone' THEN 'iOS' WHEN 'ipad' THEN 'iOS' WHEN 'ipados' THEN 'iOS'
    WHEN 'apple' THEN 'iOS' WHEN 'appstore' THEN 'iOS'
    WHEN 'android' THEN 'Android' WHEN 'googleplay' THEN 'Android' WHEN 'playstore' THEN 'Android'
    WHEN 'google' THEN 'Android'
    WHEN 'macos' THEN 'macOS' WHEN 'osx' THEN 'macOS' WHEN 'mac' THEN 'macOS'
    WHEN 'windows' THEN 'Windows' WHEN 'web' THEN 'Web' WHEN 'linux' THEN 'Linux'
    WHEN 'watchos' THEN 'watchOS' WHEN 'tvos' THEN 'tvOS' WHEN 'wearos' THEN 'Wear OS'
    WHEN 'harmonyos' THEN 'HarmonyOS' WHEN 'chromeos' THEN 'ChromeOS'
  END
$$;

UPDATE "tickets" SET "technical_details" = "technical_details"
    || jsonb_build_object('platform', pg_temp.canonical_platform("technical_details"->>'platform'))
WHERE pg_temp.canonical_platform("technical_details"->>'platform') IS NOT NULL
  AND pg_temp.canonical_platform("technical_details"->>'platform') IS DISTINCT FROM "technical_details"->>'platform';

UPDATE "tickets" SET "technical_details" = "technical_details" || jsonb_build_object('os',
    pg_temp.canonical_platform(substring(btrim("technical_details"->>'os') FROM '^([A-Za-z][A-Za-z ]*?)\s*\d'))
    || ' ' || substring(btrim("technical_details"->>'os') FROM '(\d+(?:\.\d+)*)$'))
WHERE btrim("technical_details"->>'os') ~ '^[A-Za-z][A-Za-z ]*?\s*\d+(\.\d+)*$'
  AND pg_temp.canonical_platform(substring(btrim("technical_details"->>'os') FROM '^([A-Za-z][A-Za-z ]*?)\s*\d'))
      IS NOT NULL;

UPDATE "tickets" SET "technical_details" = "technical_details"
    || jsonb_build_object('os', pg_temp.canonical_platform(btrim("technical_details"->>'os')))
WHERE btrim("technical_details"->>'os') ~ '^[A-Za-z][A-Za-z ]*$'
  AND pg_temp.canonical_platform("technical_details"->>'os') IS NOT NULL;

DROP FUNCTION pg_temp.canonical_platform(text);

-- The tickets page filters by app, newest first; trends and the "by submitted" date filter range over the
-- feedback's time (an expression index, which the Prisma schema cannot express: see the note on model Ticket).
CREATE INDEX "tickets_app_created_at_idx" ON "tickets"("app", "created_at");
CREATE INDEX "tickets_feedback_time_idx" ON "tickets"((COALESCE("submitted_at", "created_at")));
