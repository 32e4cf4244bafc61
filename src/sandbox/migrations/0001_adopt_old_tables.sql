-- Installations from before the sandbox had schemas of its own kept its tables in `public`
-- (sandbox_kcr_issues, ...): their rows move here (the CA keeps its key, issues and signatures
-- their history), then the old tables are dropped. A new installation has none of them.
DO $$
BEGIN
  IF to_regclass('public.sandbox_kcr_issues') IS NOT NULL THEN
    INSERT INTO "sandbox"."ca" ("name", "key_sealed", "certificate_der", "created_at", "updated_at") SELECT "name", "key_sealed", "certificate_der", "created_at", "updated_at" FROM public."sandbox_ca";
    INSERT INTO "sandbox"."sms_outbox" ("id", "phone", "text", "code", "issue_id", "purpose", "created_at") SELECT "id", "phone", "text", "code", "issue_id", "purpose", "created_at" FROM public."sandbox_sms_outbox";
    INSERT INTO "sandbox_kcr"."issues" ("id", "base_issue_id", "version", "status", "forwarded_status", "actualized", "actualize_at", "certificate_template_info", "subject_info", "csp_info", "documents", "correction_info", "subject_identification", "smev_validations", "confirmation", "statement_signed_by", "note", "certificate_request", "certificate_request_type", "recent_changes", "certificate_der", "certificate_released_info", "subject_key_sealed", "status_changed_at", "deleted_at", "created_at", "updated_at") SELECT "id", "base_issue_id", "version", "status", "forwarded_status", "actualized", "actualize_at", "certificate_template_info", "subject_info", "csp_info", "documents", "correction_info", "subject_identification", "smev_validations", "confirmation", "statement_signed_by", "note", "certificate_request", "certificate_request_type", "recent_changes", "certificate_der", "certificate_released_info", "subject_key_sealed", "status_changed_at", "deleted_at", "created_at", "updated_at" FROM public."sandbox_kcr_issues";
    INSERT INTO "sandbox_kcr"."pages" ("id", "issue_id", "document_type", "content_type", "content", "created_at") SELECT "id", "issue_id", "document_type", "content_type", "content", "created_at" FROM public."sandbox_kcr_pages";
    INSERT INTO "sandbox_kcr"."events" ("id", "issue_id", "type", "status", "created_at") SELECT "id", "issue_id", "type", "status", "created_at" FROM public."sandbox_kcr_events";
    INSERT INTO "sandbox_cloud"."files" ("id", "client", "file_name", "md5", "length", "received", "complete", "created_at", "updated_at") SELECT "id", "client", "file_name", "md5", "length", "received", "complete", "created_at", "updated_at" FROM public."sandbox_cloud_files";
    INSERT INTO "sandbox_cloud"."operations" ("id", "client", "signer_thumbprint", "signer_issue_id", "phone", "code", "wrong_attempts", "status", "sign_type", "files", "expires_at", "confirmed_at", "finished_at", "created_at", "updated_at") SELECT "id", "client", "signer_thumbprint", "signer_issue_id", "phone", "code", "wrong_attempts", "status", "sign_type", "files", "expires_at", "confirmed_at", "finished_at", "created_at", "updated_at" FROM public."sandbox_cloud_operations";
    INSERT INTO "sandbox_cloud"."results" ("id", "operation_id", "cms", "created_at") SELECT "id", "operation_id", "cms", "created_at" FROM public."sandbox_cloud_results";
    PERFORM setval(pg_get_serial_sequence('sandbox_kcr.events', 'id'), coalesce((SELECT max(id) FROM sandbox_kcr.events), 0) + 1, false);
    DROP TABLE public."sandbox_cloud_results";
    DROP TABLE public."sandbox_cloud_operations";
    DROP TABLE public."sandbox_cloud_files";
    DROP TABLE public."sandbox_kcr_events";
    DROP TABLE public."sandbox_kcr_pages";
    DROP TABLE public."sandbox_kcr_issues";
    DROP TABLE public."sandbox_sms_outbox";
    DROP TABLE public."sandbox_ca";
  END IF;
END $$;
