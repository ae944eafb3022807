-- The oldest visible messages of a queue, locked for the receive that calls this, always read in index order.
--
-- queue_messages' statistics are almost never current: its size swings from empty to a backlog of hundreds of
-- thousands and back within minutes, and embedded PGlite never analyzes it. Planned with stale or no statistics
-- (estimated: a few dozen visible rows), the receive read every visible message through a bitmap scan and
-- sorted them to keep the oldest few hundred: a cost that grew with the backlog (27 ms for 250 of 20,000, read
-- every batch). Walking (queue, visible_at) in order stops after the messages asked for, whatever the backlog,
-- so this function forbids the other plans for its one query.
CREATE FUNCTION queue_receivable(queue_name text, max_messages int)
RETURNS TABLE (id uuid, expires_at timestamptz, receive_count int)
LANGUAGE sql VOLATILE
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_sort = off
AS $$
  SELECT m.id, m.expires_at, m.receive_count
  FROM queue_messages m
  WHERE m.queue = queue_name AND m.visible_at <= now()
  ORDER BY m.visible_at
  LIMIT max_messages
  FOR UPDATE SKIP LOCKED
$$;
