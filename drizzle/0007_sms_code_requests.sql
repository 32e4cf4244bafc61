CREATE TABLE "sms_code_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"issue_id" uuid NOT NULL,
	"requested_by" uuid,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sms_code_requests_issue_idx" ON "sms_code_requests" USING btree ("issue_id","requested_at");