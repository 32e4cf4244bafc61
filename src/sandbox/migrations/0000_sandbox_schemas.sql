CREATE SCHEMA IF NOT EXISTS "sandbox";
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS "sandbox_kcr";
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS "sandbox_cloud";
--> statement-breakpoint
CREATE TABLE "sandbox"."ca" (
	"name" text PRIMARY KEY NOT NULL,
	"key_sealed" text NOT NULL,
	"certificate_der" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox"."sms_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"text" text NOT NULL,
	"code" text,
	"issue_id" uuid,
	"purpose" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_kcr"."events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issue_id" uuid NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_kcr"."issues" (
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
CREATE TABLE "sandbox_kcr"."pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_id" uuid NOT NULL,
	"document_type" text NOT NULL,
	"content_type" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_cloud"."files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client" text NOT NULL,
	"file_name" text NOT NULL,
	"md5" text NOT NULL,
	"length" bigint NOT NULL,
	"received" bigint DEFAULT 0 NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_cloud"."operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client" text NOT NULL,
	"signer_thumbprint" text NOT NULL,
	"signer_issue_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"code" text NOT NULL,
	"wrong_attempts" integer DEFAULT 0 NOT NULL,
	"status" integer DEFAULT 0 NOT NULL,
	"sign_type" integer DEFAULT 0 NOT NULL,
	"files" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_cloud"."results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operation_id" uuid NOT NULL,
	"cms" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sandbox_kcr"."pages" ADD CONSTRAINT "pages_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "sandbox_kcr"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_cloud"."results" ADD CONSTRAINT "results_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "sandbox_cloud"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sandbox_sms_outbox_phone_idx" ON "sandbox"."sms_outbox" USING btree ("phone","created_at");--> statement-breakpoint
CREATE INDEX "sandbox_kcr_events_issue_idx" ON "sandbox_kcr"."events" USING btree ("issue_id");--> statement-breakpoint
CREATE INDEX "sandbox_kcr_issues_pending_idx" ON "sandbox_kcr"."issues" USING btree ("actualized","actualize_at");--> statement-breakpoint
CREATE INDEX "sandbox_kcr_issues_status_idx" ON "sandbox_kcr"."issues" USING btree ("status");--> statement-breakpoint
CREATE INDEX "sandbox_kcr_pages_issue_idx" ON "sandbox_kcr"."pages" USING btree ("issue_id","document_type");--> statement-breakpoint
CREATE INDEX "sandbox_cloud_files_resume_idx" ON "sandbox_cloud"."files" USING btree ("client","md5","length");--> statement-breakpoint
CREATE INDEX "sandbox_cloud_operations_signer_idx" ON "sandbox_cloud"."operations" USING btree ("signer_thumbprint","status");--> statement-breakpoint
CREATE INDEX "sandbox_cloud_operations_status_idx" ON "sandbox_cloud"."operations" USING btree ("status");