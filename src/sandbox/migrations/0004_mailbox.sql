CREATE TABLE "sandbox"."mailbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"envelope_from" text,
	"envelope_to" text[] NOT NULL,
	"from" text,
	"to" text,
	"subject" text,
	"text" text,
	"html" text,
	"raw" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sandbox_mailbox_received_idx" ON "sandbox"."mailbox" USING btree ("created_at");