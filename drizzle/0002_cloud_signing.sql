CREATE TABLE "document_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"operation_id" uuid NOT NULL,
	"employee_id" uuid,
	"certificate_thumbprint" text NOT NULL,
	"certificate_subject" text NOT NULL,
	"certificate_serial_number" text NOT NULL,
	"signing_time" timestamp with time zone,
	"cms" "bytea" NOT NULL,
	"verified_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_signatures_operation_id_unique" UNIQUE("operation_id")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"blob_sha256" text NOT NULL,
	"streebog256" text NOT NULL,
	"owner_employee_id" uuid,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"certificate_thumbprint" text NOT NULL,
	"requested_by" uuid,
	"method" text NOT NULL,
	"state" text DEFAULT 'created' NOT NULL,
	"kontur_file_id" text,
	"kontur_operation_id" text,
	"confirm_type" integer,
	"phone_last_numbers" text,
	"attempts_left" integer,
	"error_code" text,
	"error_message" text,
	"signature_id" uuid,
	"lease_until" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_cloud_files" (
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
CREATE TABLE "sandbox_cloud_operations" (
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
CREATE TABLE "sandbox_cloud_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operation_id" uuid NOT NULL,
	"cms" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_signatures" ADD CONSTRAINT "document_signatures_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_signatures" ADD CONSTRAINT "document_signatures_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_owner_employee_id_employees_id_fk" FOREIGN KEY ("owner_employee_id") REFERENCES "public"."employees"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_operations" ADD CONSTRAINT "sign_operations_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_operations" ADD CONSTRAINT "sign_operations_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_operations" ADD CONSTRAINT "sign_operations_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_cloud_results" ADD CONSTRAINT "sandbox_cloud_results_operation_id_sandbox_cloud_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."sandbox_cloud_operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_signatures_document_idx" ON "document_signatures" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "documents_owner_idx" ON "documents" USING btree ("owner_employee_id","created_at");--> statement-breakpoint
CREATE INDEX "sign_operations_state_idx" ON "sign_operations" USING btree ("state");--> statement-breakpoint
CREATE INDEX "sign_operations_document_idx" ON "sign_operations" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "sign_operations_employee_idx" ON "sign_operations" USING btree ("employee_id","created_at");--> statement-breakpoint
CREATE INDEX "sandbox_cloud_files_resume_idx" ON "sandbox_cloud_files" USING btree ("client","md5","length");--> statement-breakpoint
CREATE INDEX "sandbox_cloud_operations_signer_idx" ON "sandbox_cloud_operations" USING btree ("signer_thumbprint","status");--> statement-breakpoint
CREATE INDEX "sandbox_cloud_operations_status_idx" ON "sandbox_cloud_operations" USING btree ("status");