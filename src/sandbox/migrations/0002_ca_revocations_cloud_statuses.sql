CREATE TABLE "sandbox"."ca_crls" (
	"number" bigint PRIMARY KEY NOT NULL,
	"der" "bytea" NOT NULL,
	"this_update" timestamp with time zone NOT NULL,
	"next_update" timestamp with time zone NOT NULL,
	"revocations" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox"."ca_revocations" (
	"serial_number" text PRIMARY KEY NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sandbox_cloud"."operations" ALTER COLUMN "status" SET DEFAULT 7;--> statement-breakpoint
-- The cloud sandbox now answers Kontur's full OperationStatus enumeration: an operation waiting
-- for its SMS code is 7 (AwaitingForConfirmation, was 0) and one cancelled by three wrong codes
-- is 8 (ExceededConfirmationAttemptsCount, was 3). 1, 2, 4 and 5 keep their meaning.
UPDATE "sandbox_cloud"."operations" SET "status" = CASE "status" WHEN 0 THEN 7 WHEN 3 THEN 8 ELSE "status" END WHERE "status" IN (0, 3);
