CREATE TABLE "certificate_notices" (
	"certificate_id" uuid NOT NULL,
	"days_before" integer NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_notices_certificate_id_days_before_pk" PRIMARY KEY("certificate_id","days_before")
);
--> statement-breakpoint
CREATE TABLE "certificate_renewals" (
	"certificate_id" uuid PRIMARY KEY NOT NULL,
	"issue_id" uuid,
	"state" text NOT NULL,
	"step" text DEFAULT 'renew' NOT NULL,
	"reason" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "renewal_policies" (
	"certificate_template" text PRIMARY KEY NOT NULL,
	"days_before_expiry" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "employee_certificates" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "employee_certificates" ADD COLUMN "revocation_reason" text;--> statement-breakpoint
ALTER TABLE "employee_certificates" ADD COLUMN "revocation_status" text;--> statement-breakpoint
ALTER TABLE "employee_certificates" ADD COLUMN "revocation_source" text;--> statement-breakpoint
ALTER TABLE "employee_certificates" ADD COLUMN "revocation_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "employee_certificates" ADD COLUMN "replaced_by_id" uuid;--> statement-breakpoint
ALTER TABLE "employees" ADD COLUMN "state" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "employees" ADD COLUMN "dismissed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "certificate_notices" ADD CONSTRAINT "certificate_notices_certificate_id_employee_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."employee_certificates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_renewals" ADD CONSTRAINT "certificate_renewals_certificate_id_employee_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."employee_certificates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "employee_certificates_valid_to_idx" ON "employee_certificates" USING btree ("valid_to","id");