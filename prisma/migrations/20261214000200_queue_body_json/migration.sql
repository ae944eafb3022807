-- Queue message bodies are stored and handed back whole, never queried inside: json keeps the text as sent,
-- where jsonb parsed it into its binary form on every send and printed it again on every receive (issue 20:
-- about 40% of the queue's cost per message on the embedded database). Every body is kept, converted as is.
ALTER TABLE "queue_messages" ALTER COLUMN "body" TYPE json USING "body"::json;
