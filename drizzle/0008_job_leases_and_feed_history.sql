CREATE TABLE "job_leases" (
	"job_id" uuid PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"owner" text NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "issue_history" ADD COLUMN "kcr_event_id" text;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "feed_status" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "issue_id" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "sequence" bigserial NOT NULL;--> statement-breakpoint
CREATE INDEX "job_leases_until_idx" ON "job_leases" USING btree ("lease_until");--> statement-breakpoint
CREATE UNIQUE INDEX "issue_history_kcr_event_uq" ON "issue_history" USING btree ("issue_id","kcr_event_id") WHERE "issue_history"."kcr_event_id" is not null;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pending_order_idx" ON "webhook_deliveries" USING btree ("webhook_id","issue_id","sequence") WHERE "webhook_deliveries"."state" = 'pending';--> statement-breakpoint
UPDATE "issues" SET "feed_status" = "status" WHERE "feed_status" IS NULL;--> statement-breakpoint
UPDATE "webhook_deliveries" SET "issue_id" = "payload"->>'issueId' WHERE "issue_id" IS NULL;
