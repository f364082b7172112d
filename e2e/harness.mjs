// What the browser tests share: starting `egov demo` on a fresh data
// directory and a free loopback port, launching Debian's Chromium through
// playwright-core with watchers for console errors and requests to other
// hosts, and the checks every page gets (an accessibility smoke test).
//
// Environment:
//   EGOV_BIN         the egov binary (default: ../target/debug/egov)
//   CHROMIUM_BIN     the browser (default: /usr/bin/chromium)
//   E2E_SCREENSHOTS  folder for the screenshots (default: a new temp folder)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const here = dirname(fileURLToPath(import.meta.url));
export const EGOV_BIN = resolve(here, process.env.EGOV_BIN || '../target/debug/egov');
export const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const SCREENSHOTS = resolve(
  process.env.E2E_SCREENSHOTS || mkdtempSync(join(tmpdir(), 'egov-e2e-shots-')),
);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Time limits, so that nothing can hang: the whole file stays under ~60 s.
export const SERVER_START_MS = 30_000;
export const STEP_MS = 20_000;
export const ACTION_MS = 10_000;
export const SUITE_MS = 60_000;
export const WATCHDOG_MS = SUITE_MS + 15_000;

export const ADMIN_EMAIL = 'quantri@travinh.gov.vn';

// ---------------------------------------------------------------- server

/** A loopback port nobody listens on right now. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Rejects after `ms` with `what` in the message, unless `promise` settles first. */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts `egov demo` and resolves once it serves, with the admin password
 * read from its stdout. The child's environment has no EGOV_* variables
 * (egov refuses unknown ones, and EGOV_BIN is one) and it runs in the data
 * directory, so no egov.toml of the caller's is picked up.
 */
export async function startServer(dataDir, port, extraEnv = {}) {
  if (!existsSync(EGOV_BIN)) {
    throw new Error(`egov binary not found at ${EGOV_BIN}: run \`cargo build -p egov\` or set EGOV_BIN`);
  }
  const env = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('EGOV_')),
    ),
    ...extraEnv,
  };
  const child = spawn(
    EGOV_BIN,
    ['demo', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`],
    { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const server = { child, stdout: [], stderr: '', exited: false };
  child.on('exit', () => { server.exited = true; });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    server.stderr = (server.stderr + chunk).slice(-20_000);
  });

  const ready = new Promise((resolveReady, reject) => {
    const found = {};
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      server.stdout.push(line);
      let m;
      if ((m = /^\s*Thư điện tử:\s*(\S+)\s*$/.exec(line))) found.email = m[1];
      if ((m = /^\s*Mật khẩu:\s*(\S+)\s*$/.exec(line))) found.password = m[1];
      if ((m = /egov đang chạy tại (http:\/\/[^/\s]+)\//.exec(line))) found.base = m[1];
      if (found.base && found.password) resolveReady(found);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(
      `egov demo exited early (code ${code}, signal ${signal})\n` +
      `stdout:\n${server.stdout.join('\n')}\nstderr (tail):\n${server.stderr}`,
    )));
  });
  try {
    const found = await within(SERVER_START_MS, 'egov demo to print its address and password', ready);
    Object.assign(server, found);
    await within(SERVER_START_MS, 'GET /healthz to answer 200', waitHealthy(found.base));
  } catch (err) {
    await stopServer(server);
    throw err;
  }
  return server;
}

export async function waitHealthy(base) {
  for (;;) {
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM (egov finishes requests in flight), SIGKILL after 5 s. */
export async function stopServer(server) {
  if (!server || server.exited) return;
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- browser helpers

/** Problems an accessibility smoke test finds on the current page. */
export function a11yProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const lang = document.documentElement.getAttribute('lang');
    if (lang !== 'vi') problems.push(`<html lang=${JSON.stringify(lang)}>, expected "vi"`);
    const h1 = document.querySelectorAll('h1');
    if (h1.length !== 1) problems.push(`${h1.length} <h1> elements, expected exactly one`);
    else if (!h1[0].textContent.trim()) problems.push('the <h1> is empty');
    if (!document.title.trim()) problems.push('the <title> is empty');
    if (!document.querySelector('main')) problems.push('no <main> landmark');
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      const labels = [...(el.labels ?? [])].filter((l) => l.textContent.trim());
      if (labels.length === 0) problems.push(`no <label> for ${el.outerHTML}`);
    }
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (!el.textContent.trim() && !el.getAttribute('aria-label')) {
        problems.push(`no text for ${el.outerHTML}`);
      }
    }
    for (const img of document.querySelectorAll('img:not([alt])')) {
      problems.push(`no alt for ${img.outerHTML}`);
    }
    const seen = new Set();
    for (const el of document.querySelectorAll('[id]')) {
      if (seen.has(el.id)) problems.push(`duplicate id="${el.id}"`);
      seen.add(el.id);
    }
    return problems;
  });
}

export async function assertAccessible(page, what) {
  const problems = await a11yProblems(page);
  assert.deepEqual(problems, [], `accessibility problems on ${what} (${page.url()})`);
}

/** The trimmed text of the page's single h1. */
export async function heading(page) {
  return (await page.locator('h1').textContent()).trim();
}

export async function visible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: ACTION_MS });
  } catch (err) {
    throw new Error(`not visible: ${what}\n${err.message}`);
  }
}

export function path(page) {
  const url = new URL(page.url());
  return { pathname: url.pathname, params: url.searchParams };
}

export async function shot(page, name, fullPage = false) {
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}


/**
 * Launches Chromium with a Vietnamese context and watchers: `problems`
 * collects console errors, requests to hosts other than `base`, failed
 * requests and sub-resources answered with an error.
 */
export async function launch(base, viewport = { width: 1280, height: 860 }) {
  if (!existsSync(CHROMIUM_BIN)) {
    throw new Error(`no browser at ${CHROMIUM_BIN}: apt-get install -y chromium, or set CHROMIUM_BIN`);
  }
  const baseHost = new URL(base).host;
  const problems = {
    consoleErrors: [], foreignRequests: [], failedRequests: [], badSubresources: [], faviconErrors: [],
  };
  const browser = await chromium.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  const context = await browser.newContext({
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    viewport,
  });
  context.setDefaultTimeout(ACTION_MS);
  context.setDefaultNavigationTimeout(15_000);
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.host !== baseHost) {
      problems.foreignRequests.push(request.url());
    }
  });
  context.on('requestfailed', (request) => {
    problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  context.on('response', (response) => {
    const type = response.request().resourceType();
    if (type !== 'document' && response.status() >= 400) {
      problems.badSubresources.push(`${response.status()} ${type} ${response.url()}`);
    }
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const source = msg.location()?.url ?? '';
    const line = `${page.url()}: ${msg.text()} [${source}]`;
    if (source === `${base}/favicon.ico`) {
      problems.faviconErrors.push(line);
    } else {
      problems.consoleErrors.push(line);
    }
  });
  page.on('pageerror', (err) => problems.consoleErrors.push(`${page.url()}: uncaught ${err.message}`));
  return { browser, context, page, problems };
}

/** Signs in on the login page `page` is at (or goes to it first). */
export async function signIn(page, base, email, password) {
  if (new URL(page.url()).pathname !== '/app/login') await page.goto(`${base}/app/login`);
  await page.locator('input#email').fill(email);
  await page.locator('input#password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/app/login'),
    page.getByRole('button', { name: 'Đăng nhập' }).click(),
  ]);
}

/** Signs out from any staff page. */
export async function signOut(page) {
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/app/login'),
    page.getByRole('button', { name: 'Đăng xuất', exact: true }).click(),
  ]);
}

/**
 * The demo and a browser around the tests of one `describe` (call it
 * there): `egov demo` on a fresh data folder and a free port, Chromium on
 * it. Returns an object that `before` fills with `server`, `base`,
 * `browser`, `page` and `problems`. Whatever happens (a failed hook, a
 * timeout, an exception), neither the server nor its data outlive this
 * process, and a watchdog stops the file should anything outlive the
 * runner's timeouts.
 */
export function demoInBrowser() {
  const suite = {};
  let dataDir;
  const lastResort = () => {
    if (suite.server && !suite.server.exited) suite.server.child.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', lastResort);
  setTimeout(() => {
    console.error(`e2e watchdog: still running after ${WATCHDOG_MS} ms, stopping`);
    process.exit(1);
  }, WATCHDOG_MS).unref();

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'egov-e2e-data-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    suite.server = await startServer(dataDir, await freePort());
    suite.base = suite.server.base;
    assert.equal(suite.server.email, ADMIN_EMAIL, 'the demo admin e-mail printed by egov demo');
    Object.assign(suite, await launch(suite.base));
  });

  after(async () => {
    try {
      await suite.browser?.close();
    } finally {
      await stopServer(suite.server);
      lastResort();
    }
  });
  return suite;
}
