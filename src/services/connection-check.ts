// "Проверить подключение": for each Kontur API, the steps of one harmless call through the
// configured transport, each with a verdict in Russian — the name lookup, the TCP connection, the
// TLS handshake (cipher and server certificate), the client certificate or API key, and the
// answer with its time. A step that cannot be checked because an earlier one failed is skipped.
// Used by POST /api/v1/settings/check and `kca check-connection`.
import { isIP } from 'node:net';
import type { CloudClient, CloudProbeAnswer } from '../kontur/cloud-client.ts';
import { CloudApiError, CloudTunnelError } from '../kontur/cloud-errors.ts';
import type { KcrClient } from '../kontur/kcr-client.ts';
import { KcrApiError } from '../kontur/kcr-errors.ts';
import { connectTcp, ProbeError, resolveHost, tlsHandshake, type TlsFacts } from '../kontur/network-probe.ts';
import type { CloudConnections } from './cloud-connection.ts';
import type { CertificateStore } from './certificate-store.ts';
import type { SettingsService } from './settings.ts';
import { ServiceError } from './errors.ts';

export type CheckStepName = 'dns' | 'tcp' | 'tls' | 'client-certificate' | 'api-key' | 'answer';
export type CheckStepStatus = 'ok' | 'failed' | 'skipped';

export interface CheckStep {
  step: CheckStepName;
  title: string;
  status: CheckStepStatus;
  /** The verdict in Russian. */
  message: string;
  ms?: number;
}

export interface ApiCheck {
  api: 'kcr' | 'cloud';
  title: string;
  address: string;
  transport: 'direct' | 'gost-tunnel';
  ok: boolean;
  steps: CheckStep[];
}

export interface ConnectionCheck {
  ok: boolean;
  checkedAt: Date;
  apis: ApiCheck[];
}

const STEP_TIMEOUT_MS = 10_000;
/** An operation that cannot exist: GetStatus of it shows whether the client is accepted, and changes nothing. */
const NO_OPERATION = '00000000-0000-0000-0000-000000000000';

const TITLES: Record<CheckStepName, string> = {
  dns: 'Поиск адреса (DNS)',
  tcp: 'Соединение TCP',
  tls: 'Рукопожатие TLS',
  'client-certificate': 'Клиентский сертификат',
  'api-key': 'API-ключ',
  answer: 'Ответ API',
};

/** Collects the steps of one API; after a failure the remaining steps are skipped. */
class Steps {
  readonly list: CheckStep[] = [];
  private failed: string | undefined;

  get stopped(): boolean {
    return this.failed !== undefined;
  }

  add(step: CheckStepName, status: CheckStepStatus, message: string, ms?: number, title = TITLES[step]): void {
    this.list.push({ step, title, status, message, ...(ms !== undefined ? { ms } : {}) });
    if (status === 'failed') this.failed ??= title;
  }

  skip(...steps: CheckStepName[]): void {
    for (const step of steps) this.list.push({ step, title: TITLES[step], status: 'skipped', message: `Не проверялось: не пройден шаг «${this.failed}»` });
  }
}

function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

function problemText(error: unknown): string {
  if (error instanceof ServiceError || error instanceof CloudApiError || error instanceof KcrApiError || error instanceof ProbeError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** DNS and TCP, the same for every API. */
async function reach(steps: Steps, url: URL): Promise<void> {
  const host = hostOf(url);
  const port = portOf(url);
  try {
    const found = await resolveHost(host, STEP_TIMEOUT_MS);
    steps.add('dns', 'ok', isIP(host) ? `${host} — IP-адрес, поиск не нужен` : `${host} → ${found.addresses.join(', ')}`, found.ms);
  } catch (error) {
    steps.add('dns', 'failed', `Имя ${host} не найдено: ${problemText(error)}`);
    return;
  }
  try {
    const tcp = await connectTcp(host, port, STEP_TIMEOUT_MS);
    steps.add('tcp', 'ok', `Соединение с ${host}:${port} установлено (${tcp.address})`, tcp.ms);
  } catch (error) {
    steps.add('tcp', 'failed', `Нет соединения с ${host}:${port}: ${problemText(error)}`);
  }
}

function tlsVerdict(facts: TlsFacts): { status: CheckStepStatus; message: string } {
  const what = `${facts.protocol}, ${facts.cipher}; сертификат сервера: ${facts.subject || '—'} (выдан: ${facts.issuer || '—'})`;
  return facts.authorized ? { status: 'ok', message: `${what}; проверен по доверенным корневым сертификатам` } : { status: 'failed', message: `${what}; не прошёл проверку: ${facts.authorizationError}` };
}

function answerVerdict(steps: Steps, answer: CloudProbeAnswer | { status: number; ms: number }): void {
  if (answer.status >= 200 && answer.status < 300) steps.add('answer', 'ok', `Ответ ${answer.status} за ${answer.ms} мс`, answer.ms);
  else steps.add('answer', 'failed', `Сервер ответил ${answer.status} за ${answer.ms} мс`, answer.ms);
}

export class ConnectionCheckService {
  constructor(
    private readonly settings: SettingsService,
    private readonly certificates: CertificateStore,
    private readonly kcr: KcrClient,
    private readonly cloud: CloudClient,
    private readonly connections: CloudConnections,
  ) {}

  /** Every API, or only `only`. */
  async check(only?: ApiCheck['api']): Promise<ConnectionCheck> {
    const apis = await Promise.all([...(only !== 'cloud' ? [this.checkKcr()] : []), ...(only !== 'kcr' ? [this.checkCloud()] : [])]);
    return { ok: apis.every((api) => api.ok), checkedAt: new Date(), apis };
  }

  private async checkKcr(): Promise<ApiCheck> {
    const settings = await this.settings.connection();
    const address = settings.KcrApiConnectionAddress;
    const url = new URL(address);
    const steps = new Steps();
    await reach(steps, url);
    if (steps.stopped) steps.skip('tls', 'api-key', 'answer');
    else {
      if (url.protocol === 'https:') {
        try {
          const verdict = tlsVerdict(await tlsHandshake(hostOf(url), portOf(url), {}, STEP_TIMEOUT_MS));
          steps.add('tls', verdict.status, verdict.message);
        } catch (error) {
          steps.add('tls', 'failed', `Рукопожатие TLS не удалось: ${problemText(error)}`);
        }
      } else steps.add('tls', 'skipped', 'Не используется: адрес http://');
      if (steps.stopped) steps.skip('api-key', 'answer');
      else {
        try {
          const answer = await this.kcr.probe();
          if (answer.status === 401 || answer.status === 403) steps.add('api-key', 'failed', `API-ключ (KcrApiKey) не принят: ответ ${answer.status}`);
          else steps.add('api-key', 'ok', 'API-ключ принят');
          answerVerdict(steps, answer);
        } catch (error) {
          steps.add('answer', 'failed', `Вызов поиска заявок не удался: ${problemText(error)}`, undefined, TITLES.answer);
        }
      }
    }
    return { api: 'kcr', title: 'KCR API (заявки на сертификаты)', address, transport: 'direct', ok: !steps.list.some((s) => s.status === 'failed'), steps: steps.list };
  }

  private async checkCloud(): Promise<ApiCheck> {
    const settings = await this.settings.connection();
    const address = settings.CryptoApiConnectionAddress;
    const transport = settings.CryptoApiTransport;
    const url = new URL(address);
    const steps = new Steps();
    await reach(steps, url);
    if (steps.stopped) steps.skip('tls', 'client-certificate', 'answer');
    else if (transport === 'gost-tunnel') await this.cloudThroughTunnel(steps);
    else await this.cloudDirect(steps, url, settings.CryptoAuthenticationCertificateThumbprint);
    return {
      api: 'cloud',
      title: 'Облачная подпись (Crypto API v3)',
      address,
      transport,
      ok: !steps.list.some((s) => s.status === 'failed'),
      steps: steps.list,
    };
  }

  private async cloudDirect(steps: Steps, url: URL, thumbprint: string): Promise<void> {
    if (url.protocol === 'https:') {
      const material = await this.certificates.clientTlsMaterial(thumbprint);
      try {
        const verdict = tlsVerdict(await tlsHandshake(hostOf(url), portOf(url), { client: material }, STEP_TIMEOUT_MS));
        steps.add('tls', verdict.status, verdict.message);
      } catch (error) {
        const hint = /cipher|handshake failure|no protocols/i.test(problemText(error)) ? '. Если сервер требует ГОСТ TLS, выберите транспорт gost-tunnel' : '';
        steps.add('tls', 'failed', `Рукопожатие TLS не удалось: ${problemText(error)}${hint}`);
      }
    } else steps.add('tls', 'skipped', 'Не используется: адрес http://');
    if (steps.stopped) return steps.skip('client-certificate', 'answer');
    await this.cloudCalls(steps, url.protocol === 'https:' ? 'по TLS и параметру certificate' : 'по параметру certificate');
  }

  private async cloudThroughTunnel(steps: Steps): Promise<void> {
    const title = 'Рукопожатие ГОСТ TLS (stunnel)';
    let hello: CloudProbeAnswer;
    try {
      hello = await this.cloud.probe('Hello');
    } catch (error) {
      const failure = error instanceof CloudTunnelError ? error.failure : undefined;
      if (failure === 'client-certificate-rejected') {
        steps.add('tls', 'ok', 'Сертификат сервера проверен; рукопожатие прервано сервером из-за клиентского сертификата', undefined, title);
        steps.add('client-certificate', 'failed', problemText(error));
        return steps.skip('answer');
      }
      steps.add('tls', 'failed', problemText(error), undefined, title);
      return steps.skip('client-certificate', 'answer');
    }
    const report = hello.localPort === undefined ? undefined : await this.connections.tunnel.report(hello.localPort, 2_000, 'handshake');
    steps.add('tls', 'ok', report?.cipher ? `${report.protocol}, ${report.cipher}; сертификат сервера: ${report.serverSubject ?? '—'}; проверен по доверенным корневым сертификатам` : 'Соединение через туннель установлено', undefined, title);
    await this.cloudCalls(steps, 'по сертификату TLS', hello);
  }

  /** The client-certificate verdict (GetStatus of an operation that does not exist) and Hello's answer. */
  private async cloudCalls(steps: Steps, identifiedBy: string, hello?: CloudProbeAnswer): Promise<void> {
    try {
      const identity = await this.cloud.probe('GetStatus', { operationId: NO_OPERATION });
      if (identity.status === 401 || identity.status === 403) steps.add('client-certificate', 'failed', `Клиентский сертификат не принят (${identifiedBy}): ответ ${identity.status}`);
      else steps.add('client-certificate', 'ok', `Клиент опознан ${identifiedBy}`);
      answerVerdict(steps, hello ?? (await this.cloud.probe('Hello')));
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'cloud-client-certificate-missing') steps.add('client-certificate', 'failed', error.message);
      else steps.add('answer', 'failed', `Вызов не удался: ${problemText(error)}`);
    }
  }
}
