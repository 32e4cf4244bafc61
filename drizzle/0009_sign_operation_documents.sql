CREATE TABLE "sign_operation_documents" (
	"operation_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"document_id" uuid NOT NULL,
	"kontur_file_id" text,
	"signature_id" uuid,
	"error_code" text,
	"error_message" text,
	CONSTRAINT "sign_operation_documents_operation_id_position_pk" PRIMARY KEY("operation_id","position"),
	CONSTRAINT "sign_operation_documents_operation_document_key" UNIQUE("operation_id","document_id")
);
--> statement-breakpoint
ALTER TABLE "document_signatures" DROP CONSTRAINT "document_signatures_operation_id_unique";--> statement-breakpoint
ALTER TABLE "sign_operation_documents" ADD CONSTRAINT "sign_operation_documents_operation_id_sign_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."sign_operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_operation_documents" ADD CONSTRAINT "sign_operation_documents_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sign_operation_documents_document_idx" ON "sign_operation_documents" USING btree ("document_id");--> statement-breakpoint
ALTER TABLE "document_signatures" ADD CONSTRAINT "document_signatures_operation_document_key" UNIQUE("operation_id","document_id");--> statement-breakpoint
-- Operations from before several documents: each signs its one document (position 0).
INSERT INTO "sign_operation_documents" ("operation_id", "position", "document_id", "kontur_file_id", "signature_id")
SELECT "id", 0, "document_id", "kontur_file_id", "signature_id" FROM "sign_operations";
