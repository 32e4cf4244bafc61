// The Kontur cloud signature API v3 client (docs/kontur-api.md §2 and §6): one typed method per route,
// a chunked resumable upload, answers read as the real service may send them (cloud-answers.ts),
// and the client identity: the `certificate` query parameter when the connection names one, plus
// a TLS client certificate for an https address (a transport that identifies the client itself,
// such as a GOST TLS tunnel, may leave the parameter out). Reads the address, identity and
// timeout from the settings on every call. Marks as repeatable only calls that are safe to repeat
// (CreateFile, UploadChunk at an offset, GetStatus, GetResult); Sign and Confirm are repeated by
// the transport only when the answer proves nothing was done (503, 429, a refused connection),
// never after a timeout: then the signing service looks at the operation's state.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { HttpTransport, retryAfterSeconds, TransportError, type ClientTlsMaterial, type OutboundRequest, type OutboundResponse } from './http-transport.ts';
import { noteKonturRequestId } from './kontur-request-ids.ts';
import { GostTunnelError } from './gost-tunnel.ts';
import {
  CloudApiError,
  CloudConflictError,
  CloudNotFoundError,
  CloudProtocolError,
  CloudRateLimitedError,
  CloudTunnelError,
  CloudUnauthorizedError,
  CloudUnavailableError,
  CloudValidationError,
} from './cloud-errors.ts';
import { readOperationState, readSignResponse } from './cloud-answers.ts';
import type { CloudCreateFileResponse, CloudOperationState, CloudSignRequest, CloudSignResponse } from './cloud-types.ts';

export interface CloudConnection {
  /** Base address ending with `/`, e.g. https://cloudtest.kontur-ca.ru/v3/ */
  address: string;
  /**
   * Thumbprint of the client certificate: the `certificate` query parameter. Undefined when the
   * transport identifies the client by its TLS certificate alone (no parameter is sent).
   */
  clientThumbprint: string | undefined;
  timeoutMs: number;
  /** For an https address: the client certificate's TLS material (undefined for the sandbox over http). */
  tls?: ClientTlsMaterial;
  /**
   * Through the GOST TLS tunnel: `address` is the tunnel's local http address, the client is
   * identified by its TLS certificate alone (no `certificate` parameter), and a call that got no
   * answer is explained from the tunnel's log.
   */
  tunnel?: {
    /** The Host header the real server expects (`cloud.kontur-ca.ru:4443`). */
    host: string;
    /** `refused`: nothing listened on the tunnel's port. */
    explain(localPort: number | undefined, refused: boolean): Promise<GostTunnelError | undefined>;
  };
}

/** A call's answer and, through the tunnel, the local port of its connection (the connection check reads the tunnel's log by it). */
export interface CloudProbeAnswer {
  status: number;
  ms: number;
  localPort?: number;
}

/** Where an upload reads its bytes: chunk by chunk, never the whole file. */
export interface UploadSource {
  fileName: string;
  length: number;
  md5Hex: string;
  read(offset: number, size: number): Promise<Buffer>;
}

export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** Result pages are read this big. */
const RESULT_PAGE_BYTES = 1024 * 1024;
/** A result of unannounced size is read up to this much (signatures are kilobytes). */
const MAX_UNSIZED_RESULT_BYTES = 64 * 1024 * 1024;

type Call = Omit<OutboundRequest, 'baseUrl' | 'timeoutMs' | 'headers'> & { contentType?: string };

export class CloudClient {
  private readonly tlsTransports = new Map<string, HttpTransport>();

  constructor(
    private readonly transport: HttpTransport,
    private readonly connection: () => Promise<CloudConnection>,
    private readonly logger: Logger,
    private readonly chunkBytes = 4 * 1024 * 1024,
    private readonly resultPageBytes = RESULT_PAGE_BYTES,
  ) {
    if (chunkBytes > MAX_CHUNK_BYTES) throw new Error(`chunks are at most ${MAX_CHUNK_BYTES} bytes`);
  }

  createFile(input: { md5Hex: string; length: number; fileName: string }): Promise<CloudCreateFileResponse> {
    return this.json({ method: 'POST', path: 'CreateFile', query: { md5: input.md5Hex, length: input.length, fileName: input.fileName }, repeatable: true, operation: 'cloud.createFile' });
  }

  /** Repeatable: the same bytes at the same offset land in the same place. */
  uploadChunk(fileId: string, offset: number, bytes: Buffer): Promise<CloudCreateFileResponse> {
    return this.json({ method: 'POST', path: 'UploadChunk', query: { fileId, offset }, body: bytes, contentType: 'application/octet-stream', repeatable: true, operation: 'cloud.uploadChunk' });
  }

  /**
   * Uploads a file in chunks, resuming from what Kontur already has (CreateFile answers the bytes
   * received for the same name, MD5 and length). Returns the FileId.
   */
  async uploadFile(source: UploadSource): Promise<string> {
    const created = await this.createFile({ md5Hex: source.md5Hex, length: source.length, fileName: source.fileName });
    let offset = created.Length;
    while (offset < source.length) {
      const size = Math.min(this.chunkBytes, source.length - offset);
      const bytes = await source.read(offset, size);
      try {
        offset = (await this.uploadChunk(created.FileId, offset, bytes)).Length;
      } catch (error) {
        // Kontur has fewer bytes than we thought (or more): continue from what it reports.
        if (error instanceof CloudConflictError && error.extra.length !== undefined && error.extra.length < offset) {
          offset = error.extra.length;
          continue;
        }
        throw error;
      }
    }
    return created.FileId;
  }

  /** Not repeatable: each Sign registers an operation and sends an SMS. */
  async sign(body: CloudSignRequest): Promise<CloudSignResponse> {
    return readSignResponse(await this.json({ method: 'POST', path: 'Sign', body: JSON.stringify(body), contentType: 'application/json', repeatable: false, operation: 'cloud.sign' }), this.logger);
  }

  /**
   * Not repeatable: a repeated wrong code counts twice; the caller checks GetStatus after an
   * unknown outcome. Returns the operation's state when the answer tells it.
   */
  async confirm(operationId: string, confirmationCode: string): Promise<CloudOperationState | undefined> {
    const body = await this.json<unknown>({ method: 'POST', path: 'Confirm', query: { operationId, confirmationCode }, repeatable: false, operation: 'cloud.confirm' });
    const told = typeof body === 'object' && body !== null && (body as { OperationStatus?: unknown }).OperationStatus != null;
    return told ? readOperationState(body, this.logger, 'cloud.confirm') : undefined;
  }

  async getStatus(operationId: string): Promise<CloudOperationState> {
    return readOperationState(await this.json({ method: 'GET', path: 'GetStatus', query: { operationId }, repeatable: true, operation: 'cloud.getStatus' }), this.logger);
  }

  /**
   * The whole result (the signature), read page by page: `size` bytes, or until a short page when
   * the size is not known (0). With `md5` (GetStatus's ResultMD5) the bytes are checked, and read
   * once more if they differ; a second mismatch is a protocol error.
   */
  async getResult(resultId: string, size: number, md5?: string | null): Promise<Buffer> {
    for (let attempt = 1; ; attempt++) {
      const bytes = await this.readResult(resultId, size);
      if (!md5 || createHash('md5').update(bytes).digest('hex') === md5.toLowerCase()) return bytes;
      this.logger.warn({ resultId, attempt }, 'Kontur cloud API: the result does not match its ResultMD5');
      if (attempt >= 2) throw new CloudProtocolError(200, 'ResultCorrupted', 'the signature received does not match the MD5 Kontur announced', 'cloud.getResult');
    }
  }

  private async readResult(resultId: string, size: number): Promise<Buffer> {
    const pages: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const want = size > 0 ? Math.min(this.resultPageBytes, size - offset) : this.resultPageBytes;
      if (want <= 0) break;
      const response = await this.call({ method: 'GET', path: 'GetResult', query: { resultId, offset, size: want }, repeatable: true, operation: 'cloud.getResult' });
      if (response.body.length === 0 && size > 0) throw new CloudProtocolError(200, 'ShortResult', `the result ended after ${offset} of ${size} bytes`, 'cloud.getResult');
      pages.push(response.body);
      offset += response.body.length;
      if (size === 0 && (response.body.length < want || offset > MAX_UNSIZED_RESULT_BYTES)) break;
    }
    return Buffer.concat(pages);
  }

  private async transportFor(connection: CloudConnection): Promise<HttpTransport> {
    if (!connection.address.startsWith('https:') || !connection.tls) return this.transport;
    const material = connection.tls;
    const key = createHash('sha256')
      .update(connection.clientThumbprint ?? '')
      .update('pfx' in material ? material.pfx : `${material.cert}\n${material.key}`)
      .digest('hex');
    let transport = this.tlsTransports.get(key);
    if (!transport) {
      transport = new HttpTransport(this.logger, undefined, { tls: material });
      this.tlsTransports.set(key, transport);
    }
    return transport;
  }

  /**
   * A harmless GET for the connection check (`Hello`, or `GetStatus` of an operation that does not
   * exist, which shows whether the client is accepted): any HTTP answer is returned, not thrown.
   */
  async probe(path: 'Hello' | 'GetStatus', query: Record<string, string> = {}): Promise<CloudProbeAnswer> {
    const started = performance.now();
    const response = await this.send({ method: 'GET', path, query, repeatable: false, once: true, operation: `cloud.probe${path}` });
    return { status: response.status, ms: Math.round(performance.now() - started), localPort: response.localPort };
  }

  private async call(call: Call): Promise<OutboundResponse> {
    const response = await this.send(call);
    noteKonturRequestId(response.headers);
    if (response.status >= 200 && response.status < 300) return response;
    throw this.errorOf(call.operation, response);
  }

  private async send(call: Call): Promise<OutboundResponse> {
    let connection: CloudConnection;
    try {
      connection = await this.connection();
    } catch (error) {
      if (error instanceof GostTunnelError) throw new CloudTunnelError(error.failure, error.message, call.operation, false);
      throw error;
    }
    const transport = await this.transportFor(connection);
    const headers: Record<string, string> = call.contentType ? { 'content-type': call.contentType } : {};
    if (connection.tunnel) headers.host = connection.tunnel.host;
    try {
      return await transport.request({
        ...call,
        // Over GOST TLS the client certificate identifies the client, as Kontur's production service expects.
        query: connection.tunnel || !connection.clientThumbprint ? call.query : { certificate: connection.clientThumbprint, ...call.query },
        baseUrl: connection.address,
        timeoutMs: connection.timeoutMs,
        headers,
      });
    } catch (error) {
      if (error instanceof TransportError) {
        const refused = (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED';
        const explained = await connection.tunnel?.explain(error.localPort, refused);
        if (explained) throw new CloudTunnelError(explained.failure, explained.message, call.operation, error.mayHaveBeenProcessed && explained.requestSent);
        throw new CloudUnavailableError(error.kind === 'timeout' ? 504 : 502, error.kind === 'timeout' ? 'Timeout' : 'NetworkError', error.message, call.operation, error.mayHaveBeenProcessed);
      }
      throw error;
    }
  }

  private async json<T>(call: Call): Promise<T> {
    const response = await this.call(call);
    try {
      return (response.body.length ? JSON.parse(response.body.toString('utf8')) : {}) as T;
    } catch {
      throw new CloudProtocolError(response.status, 'InvalidJson', 'the answer is not JSON', call.operation);
    }
  }

  private errorOf(operation: string, response: OutboundResponse): CloudApiError {
    let body: { Code?: string; Message?: string; Target?: string; AttemptsLeft?: number; Length?: number } = {};
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      // not JSON: the status speaks
    }
    const code = body.Code ?? `Http${response.status}`;
    const message = body.Message ?? `HTTP ${response.status}`;
    const extra = { target: body.Target, attemptsLeft: body.AttemptsLeft, length: body.Length };
    const status = response.status;
    if (status === 400 || status === 413 || status === 415) return new CloudValidationError(status, code, message, operation, extra);
    if (status === 401 || status === 403) return new CloudUnauthorizedError(status, code, message, operation, extra);
    if (status === 404) return new CloudNotFoundError(status, code, message, operation, extra);
    if (status === 409) return new CloudConflictError(status, code, message, operation, extra);
    if (status === 429) return new CloudRateLimitedError(code, message, operation, retryAfterSeconds(response.headers) ?? 1);
    // 503 is answered before any work; 500/502/504 may come after the work was done.
    if (status >= 500) return new CloudUnavailableError(status, code, message, operation, status !== 503);
    return new CloudProtocolError(status, code, message, operation, extra);
  }
}
