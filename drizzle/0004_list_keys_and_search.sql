-- pg_trgm (PostgreSQL's contrib; a trusted extension: the database owner may create it) indexes LIKE '%word%'.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "employees_name_idx";--> statement-breakpoint
ALTER TABLE "employees" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(last_name || ' ' || first_name || ' ' || coalesce(middle_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(position, '')) || ' ' || regexp_replace(phone || ' ' || coalesce(inn, '') || ' ' || coalesce(snils, ''), '[^0-9 ]', '', 'g')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "employees_search_idx" ON "employees" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "issues_created_idx" ON "issues" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "documents_created_idx" ON "documents" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "employees_name_idx" ON "employees" USING btree ("last_name","first_name","id");