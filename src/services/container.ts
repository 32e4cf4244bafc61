// Builds the services once per process from the storage they stand on.
import type { Config } from '../config.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import type { Database } from '../store/db.ts';
import type { BlobStore } from '../store/blobs.ts';
import { AuditService } from './audit.ts';
import { AuthService } from './auth.ts';
import { EmployeesService } from './employees.ts';
import { SettingsService } from './settings.ts';
import { UsersService } from './users.ts';
import { CertificateStore } from './certificate-store.ts';
import { pino, type Logger } from 'pino';
import { HttpTransport } from '../kontur/http-transport.ts';
import { KcrClient } from '../kontur/kcr-client.ts';
import { IssuesService } from './issues.ts';
import { ISSUE_EVENTS_CHANNEL, IssueNotifications } from './issue-notifications.ts';
import { DatabaseEvents } from '../store/database-events.ts';
import { WebhooksService } from './webhooks.ts';
import { CloudClient } from '../kontur/cloud-client.ts';
import { DocumentsService } from './documents.ts';
import { SIGN_OPERATIONS_CHANNEL, SigningService } from './signing.ts';
import { SignatureStampService } from './signature-stamp.ts';
import { SigningTrust } from './signing-trust.ts';
import { CloudConnections } from './cloud-connection.ts';
import { ConnectionCheckService } from './connection-check.ts';
import { GostTunnel } from '../kontur/gost-tunnel.ts';
import { join } from 'node:path';
import { ServiceError } from './errors.ts';
import { SmsLimits } from './sms-limits.ts';
import { ReestroClient } from '../kontur/reestro-client.ts';
import { ReestroSubjectsService } from './reestro-subjects.ts';
import { CertificateFormsService } from './certificate-forms.ts';
import { FormDocuments } from './certificate-form-documents.ts';
import { MailSettingsService } from './mail-settings.ts';
import { MailTransport } from './mail-transport.ts';
import { NotificationsService } from './notifications.ts';
import { SelfServiceService } from './self-service.ts';
import { RevocationChecker } from './revocation-check.ts';
import { CertificateNotices } from './certificate-notices.ts';
import { CertificateLifecycle } from './certificate-lifecycle.ts';
import { CertificateInventory } from './certificate-inventory.ts';
import { CertificateRenewals } from './certificate-renewals.ts';

export interface Services {
  /** The database's notifications heard by this process (started and closed by the server). */
  events: DatabaseEvents;
  audit: AuditService;
  auth: AuthService;
  users: UsersService;
  settings: SettingsService;
  /** Trusted roots and client certificates of the settings. */
  certificates: CertificateStore;
  employees: EmployeesService;
  issues: IssuesService;
  webhooks: WebhooksService;
  /** The KCR client (the event poller reads the feed with it). */
  kcr: KcrClient;
  documents: DocumentsService;
  /** Cloud signing (the manual's IKonturDssService). */
  signing: SigningService;
  signatureStamps: SignatureStampService;
  /** The cloud client (the connection check calls it). */
  cloud: CloudClient;
  /** How the cloud client reaches the Crypto API, and the GOST TLS tunnel (stopped with the server). */
  cloudConnections: CloudConnections;
  /** "Проверить подключение". */
  connectionCheck: ConnectionCheckService;
  /** Subjects and representatives at Kontur Реестро. */
  reestroSubjects: ReestroSubjectsService;
  /** Certificate forms at Kontur Реестро (seed 004). */
  certificateForms: CertificateFormsService;
  /** How many SMS codes signers, documents and issues may be sent. */
  smsLimits: SmsLimits;
  /** The SMTP server notification mails go through. */
  mailSettings: MailSettingsService;
  /** E-mail notifications: one function per kind of notice, the outbox, the users' switch. */
  notifications: NotificationsService;
  /** What an employee sees of her own issues and certificates. */
  selfService: SelfServiceService;
  /** Whether a card's certificate is revoked (OCSP, CRL), cached. */
  revocation: RevocationChecker;
  /** Expiry, revocation and renewal notices (webhooks). */
  certificateNotices: CertificateNotices;
  /** Recall, dismissal, renewal. */
  certificateLifecycle: CertificateLifecycle;
  /** Every certificate the module knows. */
  certificateInventory: CertificateInventory;
  /** Renewal before expiry: policy, conditions, the reconciler. */
  certificateRenewals: CertificateRenewals;
}

/** How long one Реестро operation may wait for Kontur outages before it gives up (its own layer: reestro-calls.ts). */
const ISSUE_OPERATION_BUDGET_MS = 30_000;

export function createServices(config: Config, database: Database, blobs: BlobStore, logger: Logger = pino({ level: 'silent' })): Services {
  // One listening connection for every channel the services announce on.
  const events = new DatabaseEvents(database.connectionString, [ISSUE_EVENTS_CHANNEL, SIGN_OPERATIONS_CHANNEL], logger.child({ component: 'database-events' }));
  const notify = (channel: string, payload: string) => database.sql.executeSql('select pg_notify($1, $2)', [channel, payload]).then(() => undefined);
  const { db } = database;
  const audit = new AuditService(db, (error, rows) => logger.error({ err: error, rows }, 'could not write the audit entries of reads'));
  const secrets = new SecretBox(config.masterKey);
  const settings = new SettingsService(db, audit, secrets, config.port);
  const mailSettings = new MailSettingsService(db, audit, secrets);
  const notifications = new NotificationsService(db, mailSettings, new MailTransport(), audit, logger.child({ component: 'mail' }), config.publicUrl);
  const employees = new EmployeesService(db, audit);
  const kcr = new KcrClient(
    new HttpTransport(logger.child({ component: 'kcr-client' })),
    async () => {
      const connection = await settings.connection();
      return { address: connection.KcrApiConnectionAddress, apiKey: connection.KcrApiKey, timeoutMs: connection.RestClientMaxTimeout };
    },
    logger.child({ component: 'kcr-client' }),
  );
  const certificates = new CertificateStore(db, audit, secrets);
  const cloudConnections = new CloudConnections(
    settings,
    certificates,
    new GostTunnel({ runDir: join(config.dataDir, 'run'), logger: logger.child({ component: 'gost-tunnel' }) }),
  );
  const cloud = new CloudClient(new HttpTransport(logger.child({ component: 'cloud-client' })), () => cloudConnections.current(), logger.child({ component: 'cloud-client' }));
  // Webhook deliveries and the sandbox root's download: plain outbound HTTP, never repeated here.
  const outbound = new HttpTransport(logger.child({ component: 'outbound' }));
  const documents = new DocumentsService(db, blobs, audit, logger);
  const smsLimits = new SmsLimits(db, config.smsLimits);
  const trust = new SigningTrust(certificates, settings, outbound);
  const signing = new SigningService(db, documents, cloud, trust, audit, logger.child({ component: 'signing' }), {
    uploadMaxBytes: config.signUploadMaxBytes,
    leaseMs: config.jobLeaseMs,
    deadlineMs: config.konturDeadlineMs,
  }, events, smsLimits, notifications);
  const signatureStamps = new SignatureStampService(documents);
  const reestro = new ReestroClient(new HttpTransport(logger.child({ component: 'reestro-client' })), async () => {
    const connection = await settings.connection();
    return {
      address: connection.ReestroApiConnectionAddress,
      apiKey: connection.ReestroApiKey,
      organizationId: connection.ReestroOrganizationId,
      timeoutMs: connection.RestClientMaxTimeout,
    };
  });
  const reestroSubjects = new ReestroSubjectsService(db, reestro, employees, audit, async () => (await settings.connection()).ReestroOrganizationId, ISSUE_OPERATION_BUDGET_MS);
  const certificateForms = new CertificateFormsService(
    db,
    new FormDocuments(db, blobs, documents, reestro, ISSUE_OPERATION_BUDGET_MS),
    reestro,
    reestroSubjects,
    employees,
    audit,
    logger.child({ component: 'certificate-forms' }),
    { operationBudgetMs: ISSUE_OPERATION_BUDGET_MS },
  );
  const issueNotifications = new IssueNotifications(events, notify);
  const webhooks = new WebhooksService(db, audit, secrets, outbound);
  const revocation = new RevocationChecker(db, trust, settings, outbound, logger.child({ component: 'revocation' }));
  signing.useRevocationChecker(revocation);
  const certificateNotices = new CertificateNotices(db, webhooks, notifications);
  const auth = new AuthService(db, audit);
  const issues = new IssuesService(db, blobs, kcr, employees, audit, issueNotifications, { operationBudgetMs: config.konturDeadlineMs }, smsLimits, notifications);
  return {
    events,
    audit,
    auth,
    users: new UsersService(db, audit, auth),
    signatureStamps,
    settings,
    certificates,
    employees,
    issues,
    webhooks,
    kcr,
    documents,
    signing,
    cloud,
    cloudConnections,
    connectionCheck: new ConnectionCheckService(settings, certificates, kcr, cloud, cloudConnections),
    reestroSubjects,
    certificateForms,
    smsLimits,
    mailSettings,
    notifications,
    selfService: new SelfServiceService(db, issues, employees),
    revocation,
    certificateNotices,
    certificateLifecycle: new CertificateLifecycle(db, kcr, revocation, certificateNotices, audit, config.konturDeadlineMs),
    certificateInventory: new CertificateInventory(db),
    certificateRenewals: new CertificateRenewals(db, kcr, issues, blobs, certificateNotices, audit, logger.child({ component: 'certificate-renewals' }), config.konturDeadlineMs),
  };
}
