// Cold load of the web client in Chromium (Debian's /usr/bin/chromium through playwright-core):
// the sign-in page and an issue page, each with an empty browser cache, on the server as
// `npm start` runs it (kca serve with the built web/dist). For each page: bytes transferred over
// the wire (compressed sizes, as Chromium counts them), the number of requests, the time to the
// first contentful paint and the time until the page's own content is on screen (the sign-in
// form, the issue's heading). Measured on the loopback and again with the network throttled to
// a modest office link (10 Mbit/s down, 40 ms round trip), where the bytes show.
//
//   npm run bench:web-load [-- --runs 5]
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBenchServer, ADMIN_PASSWORD } from './support/server.ts';
import { createEmployee } from '../test/issuance/helpers.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

interface Throttle {
  name: string;
  /** Bytes per second down, or -1 for none. */
  download: number;
  upload: number;
  latencyMs: number;
}
const NETWORKS: Throttle[] = [
  { name: 'loopback', download: -1, upload: -1, latencyMs: 0 },
  { name: '10 Mbit/s, 40 ms', download: (10 * 1024 * 1024) / 8, upload: (5 * 1024 * 1024) / 8, latencyMs: 40 },
];

interface Load {
  bytes: number;
  requests: number;
  fcpMs: number;
  contentMs: number;
}

async function api(url: string, method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** One cold load of `path`: empty cache, network as given; content is a selector that marks the page's own content. */
async function coldLoad(page: Page, path: string, contentSelector: string, network: Throttle): Promise<Load> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, downloadThroughput: network.download, uploadThroughput: network.upload, latency: network.latencyMs });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength;
    requests++;
  });
  await page.goto(path, { waitUntil: 'commit' });
  await page.waitForSelector(contentSelector, { state: 'visible', timeout: 60_000 });
  const contentMs = await page.evaluate(() => performance.now());
  await page.waitForLoadState('networkidle');
  const fcpMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
  await cdp.detach();
  return { bytes, requests, fcpMs, contentMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(browser: Browser, baseURL: string, path: string, contentSelector: string, network: Throttle, signedIn?: { username: string; password: string }): Promise<Load> {
  const loads: Load[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
    if (signedIn) {
      // The session cookie, made through the API: the page itself is what gets measured.
      const response = await fetch(`${baseURL}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: baseURL }, body: JSON.stringify(signedIn) });
      if (!response.ok) throw new Error(`sign-in: ${response.status} ${await response.text()}`);
      const cookies = response.headers.getSetCookie().map((line) => {
        const [pair] = line.split(';');
        const [name, ...rest] = pair.split('=');
        return { name, value: rest.join('='), url: baseURL };
      });
      await context.addCookies(cookies);
    }
    const page = await context.newPage();
    loads.push(await coldLoad(page, path, contentSelector, network));
    await context.close();
  }
  return {
    bytes: median(loads.map((l) => l.bytes)),
    requests: median(loads.map((l) => l.requests)),
    fcpMs: median(loads.map((l) => l.fcpMs)),
    contentMs: median(loads.map((l) => l.contentMs)),
  };
}

const server = await startBenchServer({ database: 'embedded' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
});
try {
  const admin = (await api(server.url, 'POST', '/api/v1/auth/token', undefined, { username: 'admin', password: ADMIN_PASSWORD })).token as string;
  const harness = {
    request: async (method: string, path: string, options: { token?: string; body?: unknown }) => {
      const response = await fetch(server.url + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` }, body: JSON.stringify(options.body) });
      return { status: response.status, body: await response.json(), headers: response.headers };
    },
  };
  const employee = await createEmployee(harness as never, admin);
  const issue = await api(server.url, 'POST', '/api/v1/issues', admin, { employeeId: employee.id, cspType: 'dss' });
  const issueId = (issue.data?.id ?? issue.id) as string;
  if (!issueId) throw new Error(`no issue id in ${JSON.stringify(issue)}`);
  const operator = { username: 'bench-operator', password: 'bench-operator-password-1' };
  await api(server.url, 'POST', '/api/v1/users', admin, { ...operator, role: 'operator', displayName: 'Оператор' });

  console.log(`Cold load in Chromium (median of ${runs} runs, empty cache, 1440×900)`);
  console.log('page         network            transferred  requests  first paint  content');
  for (const network of NETWORKS) {
    const pages = [
      { name: 'sign-in', load: await measure(browser, server.url, '/login', 'input[name="username"]', network) },
      { name: 'issue page', load: await measure(browser, server.url, `/issues/${issueId}`, 'h1.page-header__title', network, operator) },
    ];
    for (const { name, load } of pages) {
      console.log(
        `${name.padEnd(12)} ${network.name.padEnd(18)} ${`${(load.bytes / 1024).toFixed(0)} KB`.padStart(11)}  ${String(load.requests).padStart(8)}  ${`${load.fcpMs.toFixed(0)} ms`.padStart(11)}  ${`${load.contentMs.toFixed(0)} ms`.padStart(7)}`,
      );
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
