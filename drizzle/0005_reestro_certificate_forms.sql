CREATE TABLE "certificate_forms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"creation_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"external_id" text NOT NULL,
	"creation_state" text NOT NULL,
	"form_id" text,
	"owner_type" text NOT NULL,
	"employee_id" uuid,
	"person_subject_id" uuid NOT NULL,
	"organization_subject_id" uuid,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text,
	"snapshot" jsonb,
	"etag" text,
	"statement" jsonb,
	"certificate" jsonb,
	"certificate_thumbprint" text,
	"certificate_error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" text NOT NULL,
	"released_at" timestamp with time zone,
	"checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_forms_creation_key_unique" UNIQUE("creation_key"),
	CONSTRAINT "certificate_forms_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "certificate_forms_form_id_unique" UNIQUE("form_id")
);
--> statement-breakpoint
CREATE TABLE "reestro_representatives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_subject_id" uuid NOT NULL,
	"person_subject_id" uuid NOT NULL,
	"post" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reestro_subjects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"employee_id" uuid,
	"external_id" text NOT NULL,
	"subject_id" text,
	"reestro_organization_id" text,
	"data" jsonb NOT NULL,
	"display_name" text NOT NULL,
	"inn" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reestro_subjects_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
ALTER TABLE "certificate_forms" ADD CONSTRAINT "certificate_forms_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_forms" ADD CONSTRAINT "certificate_forms_person_subject_id_reestro_subjects_id_fk" FOREIGN KEY ("person_subject_id") REFERENCES "public"."reestro_subjects"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_forms" ADD CONSTRAINT "certificate_forms_organization_subject_id_reestro_subjects_id_fk" FOREIGN KEY ("organization_subject_id") REFERENCES "public"."reestro_subjects"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reestro_representatives" ADD CONSTRAINT "reestro_representatives_organization_subject_id_reestro_subjects_id_fk" FOREIGN KEY ("organization_subject_id") REFERENCES "public"."reestro_subjects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reestro_representatives" ADD CONSTRAINT "reestro_representatives_person_subject_id_reestro_subjects_id_fk" FOREIGN KEY ("person_subject_id") REFERENCES "public"."reestro_subjects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reestro_subjects" ADD CONSTRAINT "reestro_subjects_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certificate_forms_employee_idx" ON "certificate_forms" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "certificate_forms_state_idx" ON "certificate_forms" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "reestro_representatives_pair_uq" ON "reestro_representatives" USING btree ("organization_subject_id","person_subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reestro_subjects_employee_kind_uq" ON "reestro_subjects" USING btree ("employee_id","kind") WHERE "reestro_subjects"."employee_id" is not null;--> statement-breakpoint
CREATE INDEX "reestro_subjects_kind_idx" ON "reestro_subjects" USING btree ("kind");