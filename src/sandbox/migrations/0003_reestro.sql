CREATE SCHEMA "sandbox_reestro";
--> statement-breakpoint
CREATE TABLE "sandbox_reestro"."contents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"content_type" text NOT NULL,
	"media_type" text NOT NULL,
	"md5" text NOT NULL,
	"size" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"origin" text NOT NULL,
	"subject_id" uuid,
	"extract_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_reestro"."forms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"external_id" text,
	"person_id" uuid NOT NULL,
	"organization_id" uuid,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text DEFAULT 'Created' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"validation_errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"statement" jsonb,
	"certificate_content_id" uuid,
	"receipt_content_id" uuid,
	"certificate_info" jsonb,
	"released_at" timestamp with time zone,
	"state_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_reestro"."representatives" (
	"org_id" text NOT NULL,
	"principal_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"representative_type" text,
	"post" text,
	"authority" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "representatives_principal_id_agent_id_pk" PRIMARY KEY("principal_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_reestro"."sessions" (
	"sid" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_reestro"."subjects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"external_id" text,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sandbox_reestro_contents_org_idx" ON "sandbox_reestro"."contents" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_reestro_forms_external_uq" ON "sandbox_reestro"."forms" USING btree ("org_id","external_id") WHERE "sandbox_reestro"."forms"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "sandbox_reestro_forms_state_idx" ON "sandbox_reestro"."forms" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_reestro_subjects_external_uq" ON "sandbox_reestro"."subjects" USING btree ("org_id","external_id") WHERE "sandbox_reestro"."subjects"."external_id" is not null;