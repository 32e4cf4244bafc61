CREATE TABLE "issue_creations" (
	"key" text PRIMARY KEY NOT NULL,
	"employee_id" uuid,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"issue_id" uuid,
	"subject_phone" text NOT NULL,
	"subject_inn" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issue_event_cursor" (
	"name" text PRIMARY KEY NOT NULL,
	"last_event_id" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issue_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issue_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"status" text,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issue_scans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_id" uuid NOT NULL,
	"document_type" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"blob_sha256" text NOT NULL,
	"page_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issues" (
	"id" uuid PRIMARY KEY NOT NULL,
	"employee_id" uuid,
	"status" text NOT NULL,
	"forwarded_status" text DEFAULT 'none' NOT NULL,
	"actualized" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"csp_type" text,
	"snapshot" jsonb NOT NULL,
	"creation_key" text,
	"created_by" text NOT NULL,
	"deleted_at" timestamp with time zone,
	"certificate_thumbprint" text,
	"certificate_attempts" integer DEFAULT 0 NOT NULL,
	"certificate_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"webhook_id" uuid NOT NULL,
	"event_key" text NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"secret_sealed" text NOT NULL,
	"events" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_ca" (
	"name" text PRIMARY KEY NOT NULL,
	"key_sealed" text NOT NULL,
	"certificate_der" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_kcr_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issue_id" uuid NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_kcr_issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"base_issue_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'preparing' NOT NULL,
	"forwarded_status" text DEFAULT 'none' NOT NULL,
	"actualized" boolean DEFAULT false NOT NULL,
	"actualize_at" timestamp with time zone DEFAULT now() NOT NULL,
	"certificate_template_info" jsonb NOT NULL,
	"subject_info" jsonb NOT NULL,
	"csp_info" jsonb NOT NULL,
	"documents" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"correction_info" jsonb,
	"subject_identification" jsonb,
	"smev_validations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"confirmation" jsonb,
	"statement_signed_by" text,
	"note" text,
	"certificate_request" "bytea",
	"certificate_request_type" text,
	"recent_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"certificate_der" "bytea",
	"certificate_released_info" jsonb,
	"subject_key_sealed" text,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_kcr_pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_id" uuid NOT NULL,
	"document_type" text NOT NULL,
	"content_type" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_sms_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"text" text NOT NULL,
	"code" text,
	"issue_id" uuid,
	"purpose" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "issues" ADD CONSTRAINT "issues_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_kcr_pages" ADD CONSTRAINT "sandbox_kcr_pages_issue_id_sandbox_kcr_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."sandbox_kcr_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issue_history_issue_idx" ON "issue_history" USING btree ("issue_id","id");--> statement-breakpoint
CREATE INDEX "issue_scans_issue_idx" ON "issue_scans" USING btree ("issue_id");--> statement-breakpoint
CREATE INDEX "issues_employee_idx" ON "issues" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "issues_status_idx" ON "issues" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "issues_creation_key_uq" ON "issues" USING btree ("creation_key") WHERE "issues"."creation_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_uq" ON "webhook_deliveries" USING btree ("webhook_id","event_key");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_state_idx" ON "webhook_deliveries" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "sandbox_kcr_events_issue_idx" ON "sandbox_kcr_events" USING btree ("issue_id");--> statement-breakpoint
CREATE INDEX "sandbox_kcr_issues_pending_idx" ON "sandbox_kcr_issues" USING btree ("actualized","actualize_at");--> statement-breakpoint
CREATE INDEX "sandbox_kcr_issues_status_idx" ON "sandbox_kcr_issues" USING btree ("status");--> statement-breakpoint
CREATE INDEX "sandbox_kcr_pages_issue_idx" ON "sandbox_kcr_pages" USING btree ("issue_id","document_type");--> statement-breakpoint
CREATE INDEX "sandbox_sms_outbox_phone_idx" ON "sandbox_sms_outbox" USING btree ("phone","created_at");