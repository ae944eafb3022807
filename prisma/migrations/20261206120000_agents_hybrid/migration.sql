-- agents.mode gains "hybrid" (offline crew first, Claude for the items it is not sure of), and an absent mode
-- now means: hybrid when ANTHROPIC_API_KEY is set, offline otherwise (a --agents flag or FEEDBACK_TRIAGE_AGENTS
-- still wins). The seeded "offline" is removed only from a row nobody changed (updated_by = 'migration'),
-- so a crew someone chose is kept. hybridThreshold (offline confidence from which the offline result is kept)
-- is added where missing; other keys (claudeModel) are kept as they are.
UPDATE "configurations"
SET "value" = "value" - 'mode'
WHERE "key" = 'agents' AND "updated_by" = 'migration' AND "value"->>'mode' = 'offline';

UPDATE "configurations"
SET "value" = jsonb_set("value", '{hybridThreshold}', '0.85'::jsonb)
WHERE "key" = 'agents' AND NOT ("value" ? 'hybridThreshold');

UPDATE "configurations"
SET "description" = 'Which agent crew runs (offline, claude or hybrid; absent: hybrid with ANTHROPIC_API_KEY, else offline), the offline confidence from which the hybrid crew keeps the offline result, and the model ids.'
WHERE "key" = 'agents';
