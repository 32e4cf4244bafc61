-- The sandbox's tables moved to its own schemas and migrations (src/sandbox/migrations). Its
-- migration 0001 copies what these tables held and drops them, when the sandbox is next mounted:
-- nothing to do on the bridge's side.
SELECT 1;
