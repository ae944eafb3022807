-- A fingerprint of what each delivery carried, so that a delivery id reused for different content is
-- refused (409) rather than dropped as a redelivery. Nullable: deliveries remembered before this column
-- keep no hash and count as redeliveries of whatever comes again under their id.
ALTER TABLE "webhook_deliveries" ADD COLUMN "content_hash" TEXT;
