// End-to-end test of the egov staff UI in a real browser.
//
// Starts `egov demo` on a fresh data directory and a free loopback port,
// drives Debian's Chromium through playwright-core, and checks what a staff
// member relies on: sign-in and its redirects, the agency tree by date, an
// agency's staff, adding a person, a wrong password, signing out. Along the
// way every page gets an accessibility smoke check, and at the end the run
// must have produced no console errors and no request to another host.
//
// Environment:
//   EGOV_BIN         the egov binary (default: ../target/debug/egov)
//   CHROMIUM_BIN     the browser (default: /usr/bin/chromium)
//   E2E_SCREENSHOTS  folder for the screenshots (default: a new temp folder)
//
// Run: cd e2e && npm ci && npm test   (or scripts/e2e.sh from the repo root)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const EGOV_BIN = resolve(here, process.env.EGOV_BIN || '../target/debug/egov');
const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const SCREENSHOTS = resolve(
  process.env.E2E_SCREENSHOTS || mkdtempSync(join(tmpdir(), 'egov-e2e-shots-')),
);

const CHROMIUM_ARGS = [
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
const SERVER_START_MS = 30_000;
const STEP_MS = 20_000;
const ACTION_MS = 10_000;
const SUITE_MS = 60_000;
const WATCHDOG_MS = SUITE_MS + 15_000;

const ADMIN_EMAIL = 'quantri@travinh.gov.vn';
const ADMIN_NAME = 'Quản trị hệ thống';
const STTTT = 'Sở Thông tin và Truyền thông tỉnh Trà Vinh';
const NEW_PERSON = {
  name: 'Kim Thị Sa Rươne',
  position: 'Chuyên viên',
  email: 'rounekts.stttt@travinh.gov.vn',
  password: 'Sarune#2021',
};
const BAD_CREDENTIALS = 'Thư điện tử, mật khẩu hoặc mã xác thực không đúng';

// ---------------------------------------------------------------- server

/** A loopback port nobody listens on right now. */
async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Rejects after `ms` with `what` in the message, unless `promise` settles first. */
function within(ms, what, promise) {
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
async function startServer(dataDir, port) {
  if (!existsSync(EGOV_BIN)) {
    throw new Error(`egov binary not found at ${EGOV_BIN}: run \`cargo build -p egov\` or set EGOV_BIN`);
  }
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('EGOV_')),
  );
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

async function waitHealthy(base) {
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
async function stopServer(server) {
  if (!server || server.exited) return;
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- browser helpers

/** Problems an accessibility smoke test finds on the current page. */
function a11yProblems(page) {
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

async function assertAccessible(page, what) {
  const problems = await a11yProblems(page);
  assert.deepEqual(problems, [], `accessibility problems on ${what} (${page.url()})`);
}

/** The trimmed text of the page's single h1. */
async function heading(page) {
  return (await page.locator('h1').textContent()).trim();
}

async function visible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: ACTION_MS });
  } catch (err) {
    throw new Error(`not visible: ${what}\n${err.message}`);
  }
}

function path(page) {
  const url = new URL(page.url());
  return { pathname: url.pathname, params: url.searchParams };
}

async function shot(page, name, fullPage = false) {
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

// ---------------------------------------------------------------- the test

describe('egov staff UI in Chromium', { timeout: SUITE_MS }, () => {
  let dataDir;
  let server;
  let browser;
  let page;
  let base;
  let baseHost;
  const consoleErrors = [];
  const foreignRequests = [];
  const failedRequests = [];
  const badSubresources = [];
  const faviconErrors = [];

  // Whatever happens (a failed hook, a timeout, an exception), neither the
  // server nor its data outlive this process.
  const lastResort = () => {
    if (server && !server.exited) server.child.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', lastResort);
  // A hard bound on the whole file, should anything outlive the runner's
  // timeouts: stop (the exit handlers above and Playwright's end the
  // server and the browser).
  setTimeout(() => {
    console.error(`e2e watchdog: still running after ${WATCHDOG_MS} ms, stopping`);
    process.exit(1);
  }, WATCHDOG_MS).unref();

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'egov-e2e-data-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer(dataDir, await freePort());
    base = server.base;
    baseHost = new URL(base).host;
    assert.equal(server.email, ADMIN_EMAIL, 'the demo admin e-mail printed by egov demo');

    if (!existsSync(CHROMIUM_BIN)) {
      throw new Error(`no browser at ${CHROMIUM_BIN}: apt-get install -y chromium, or set CHROMIUM_BIN`);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM_BIN,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
    const context = await browser.newContext({
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1280, height: 860 },
    });
    context.setDefaultTimeout(ACTION_MS);
    context.setDefaultNavigationTimeout(15_000);
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.host !== baseHost) {
        foreignRequests.push(request.url());
      }
    });
    context.on('requestfailed', (request) => {
      failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    context.on('response', (response) => {
      const type = response.request().resourceType();
      if (type !== 'document' && response.status() >= 400) {
        badSubresources.push(`${response.status()} ${type} ${response.url()}`);
      }
    });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const source = msg.location()?.url ?? '';
      const line = `${page.url()}: ${msg.text()} [${source}]`;
      if (source === `${base}/favicon.ico`) {
        faviconErrors.push(line); // checked by its own test below
      } else {
        consoleErrors.push(line);
      }
    });
    page.on('pageerror', (err) => consoleErrors.push(`${page.url()}: uncaught ${err.message}`));
    console.log(`egov at ${base}, screenshots in ${SCREENSHOTS}`);
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await stopServer(server);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('sends a visitor who is not signed in to the login page, keeping where they were going', { timeout: STEP_MS }, async () => {
    const response = await page.goto(`${base}/app/agencies`);
    const { pathname, params } = path(page);
    assert.equal(pathname, '/app/login');
    assert.equal(params.get('next'), '/app/agencies');
    assert.equal(response.request().redirectedFrom()?.url(), `${base}/app/agencies`);
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), 'Đăng nhập hệ thống');
    await visible(page.getByLabel('Thư điện tử công vụ'), 'the e-mail field');
    await visible(page.getByLabel('Mật khẩu', { exact: true }), 'the password field');
    // The stylesheet is egov's own and applied: the brand colour shows.
    const color = await page.getByRole('button', { name: 'Đăng nhập' })
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(color, 'rgb(138, 28, 28)', 'the sign-in button has the brand colour (egov.css loaded)');
    await assertAccessible(page, 'the login page');
    await shot(page, 'login');
  });

  it('refuses a wrong password with a Vietnamese message and stays on the login page', { timeout: STEP_MS }, async () => {
    await page.locator('input#email').fill(ADMIN_EMAIL);
    await page.locator('input#password').fill(`${server.password}x`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/app/login'),
      page.getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    await page.waitForLoadState('load');
    assert.equal(response.status(), 200, 'the form is shown again with the message');
    assert.equal(path(page).pathname, '/app/login');
    const alert = page.getByRole('alert');
    await visible(alert, 'the error message (role=alert)');
    assert.equal((await alert.textContent()).trim(), BAD_CREDENTIALS);
    // The form is ready for a second try: the e-mail is kept, the password
    // is not, and the page asked for is still the one to land on.
    assert.equal(await page.locator('input#email').inputValue(), ADMIN_EMAIL);
    assert.equal(await page.locator('input#password').inputValue(), '');
    assert.equal(await page.locator('input[name="next"]').inputValue(), '/app/agencies');
    assert.equal(
      await page.context().cookies(base).then((cs) => cs.some((c) => c.name === 'egov_session')),
      false,
      'no session cookie after a wrong password',
    );
    await assertAccessible(page, 'the login page with an error');
    await shot(page, 'login-wrong-password');
  });

  it('signs in and lands on the page asked for, with the user in the top bar', { timeout: STEP_MS }, async () => {
    await page.locator('input#email').fill(ADMIN_EMAIL);
    await page.locator('input#password').fill(server.password);
    await Promise.all([
      page.waitForURL((url) => url.pathname !== '/app/login'),
      page.getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    assert.equal(path(page).pathname, '/app/agencies');
    assert.equal(await heading(page), 'Cơ quan, đơn vị');
    const who = page.locator('header .who');
    await visible(who.getByText(ADMIN_NAME, { exact: true }), `the user's name "${ADMIN_NAME}" in the top bar`);
    await visible(page.getByRole('button', { name: 'Đăng xuất' }), 'the sign-out button');
    const cookie = (await page.context().cookies(base)).find((c) => c.name === 'egov_session');
    assert.ok(cookie, 'a session cookie is set');
    assert.equal(cookie.httpOnly, true, 'the session cookie is HttpOnly');
    assert.equal(cookie.sameSite, 'Lax');
    await assertAccessible(page, 'the agency tree');
  });

  it('shows the agency tree as of a date, and another date through the form', { timeout: STEP_MS }, async () => {
    await page.goto(`${base}/app/agencies?as_of=2021-04-30`);
    assert.equal(await heading(page), 'Cơ quan, đơn vị');
    await visible(page.getByRole('link', { name: 'Ủy ban nhân dân tỉnh Trà Vinh', exact: true }), 'the provincial people\'s committee');
    await visible(page.getByRole('link', { name: STTTT, exact: true }), STTTT);
    await visible(page.getByText('140 cơ quan, đơn vị'), 'the count "140 cơ quan, đơn vị"');
    assert.equal(await page.locator('input#as_of').inputValue(), '2021-04-30');
    await assertAccessible(page, 'the agency tree as of 2021-04-30');
    await shot(page, 'agencies');
    await shot(page, 'agencies-full', true);
    // How it looks on a phone (for the eye only: nothing asserted).
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'agencies-phone');
    await page.setViewportSize({ width: 1280, height: 860 });

    await page.locator('input#as_of').fill('2025-08-01');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('as_of') === '2025-08-01'),
      page.getByRole('button', { name: 'Xem', exact: true }).click(),
    ]);
    assert.equal(path(page).pathname, '/app/agencies');
    await visible(page.getByRole('link', { name: 'Ủy ban nhân dân tỉnh Vĩnh Long', exact: true }), 'the Vĩnh Long people\'s committee after the merger');
    assert.equal(await page.getByText(STTTT, { exact: true }).count(), 0, `${STTTT} is gone on 2025-08-01`);
    assert.equal(await page.locator('input#as_of').inputValue(), '2025-08-01');
    await assertAccessible(page, 'the agency tree as of 2025-08-01');
    await shot(page, 'agencies-2025-08-01');
  });

  it('opens an agency with its staff, and adds a person to it', { timeout: STEP_MS }, async () => {
    await page.goto(`${base}/app/agencies?as_of=2021-04-30`);
    await Promise.all([
      page.waitForURL((url) => /^\/app\/agencies\/\d+$/.test(url.pathname)),
      page.getByRole('link', { name: STTTT, exact: true }).click(),
    ]);
    const agencyUrl = page.url();
    assert.equal(await heading(page), STTTT);
    await visible(page.getByRole('link', { name: 'Nguyễn Ngọc Thành', exact: true }), 'the staff member Nguyễn Ngọc Thành');
    await assertAccessible(page, 'the agency page');
    await shot(page, 'agency');

    await Promise.all([
      page.waitForURL((url) => url.pathname === '/app/people/new'),
      page.getByRole('link', { name: 'Thêm cán bộ', exact: true }).click(),
    ]);
    assert.equal(await heading(page), 'Thêm cán bộ');
    await visible(page.getByRole('link', { name: STTTT, exact: true }), 'the agency the person is added to');
    await assertAccessible(page, 'the new person form');
    await page.getByLabel('Họ và tên', { exact: true }).fill(NEW_PERSON.name);
    await page.getByLabel('Chức vụ', { exact: true }).fill(NEW_PERSON.position);
    await page.getByLabel('Thư điện tử công vụ', { exact: true }).fill(NEW_PERSON.email);
    await page.getByLabel(/^Mật khẩu ban đầu/).fill(NEW_PERSON.password);
    await shot(page, 'person-new');
    await Promise.all([
      page.waitForURL((url) => url.pathname !== '/app/people/new'),
      page.getByRole('button', { name: 'Lưu', exact: true }).click(),
    ]);
    assert.match(path(page).pathname, /^\/app\/people\/\d+$/, 'lands on the new person\'s page');
    assert.equal(await heading(page), NEW_PERSON.name);
    const facts = page.locator('dl.facts');
    await visible(facts.getByText(NEW_PERSON.position, { exact: true }), 'the position');
    await visible(facts.getByText(NEW_PERSON.email, { exact: true }), 'the e-mail');
    await visible(facts.getByRole('link', { name: STTTT, exact: true }), 'the agency');
    await assertAccessible(page, 'the person page');
    await shot(page, 'person');

    // And the agency's staff list now has them.
    await page.goto(agencyUrl);
    await visible(page.getByRole('link', { name: NEW_PERSON.name, exact: true }), 'the new person in the agency\'s staff list');
  });

  it('gives the agency a seal image, which its page then shows', { timeout: STEP_MS }, async () => {
    await page.goto(`${base}/app/agencies?as_of=2021-04-30`);
    await Promise.all([
      page.waitForURL((url) => /^\/app\/agencies\/\d+$/.test(url.pathname)),
      page.getByRole('link', { name: STTTT, exact: true }).click(),
    ]);
    const agencyPath = path(page).pathname;
    await visible(page.getByText('Chưa có hình con dấu.', { exact: true }), 'no seal yet');
    // A 24 × 24 red ring, transparent around it.
    const seal = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAYAAADgdz34AAAAXklEQVR4nGNgGAzgjJLSf2yYJoZSxTJSDSfJElI0kmwJud4mSh+lEUhQPzVSx8BZQLW0jcusUQtGgAXUsmTwZDSaFBWUWEJRiUrV4hqfRqpVOORaQpLhxFpGkaHUAgCYwWpgEoZNTgAAAABJRU5ErkJggg==', 'base64');
    await page.getByLabel(/^Tệp ảnh PNG/).setInputFiles({ name: 'con-dau.png', mimeType: 'image/png', buffer: seal });
    await Promise.all([
      page.waitForURL((url) => url.pathname === agencyPath),
      page.getByRole('button', { name: 'Lưu hình con dấu', exact: true }).click(),
    ]);
    const image = page.getByRole('img', { name: 'Hình con dấu hiện tại', exact: true });
    await visible(image, 'the seal just given');
    const width = await image.evaluate((img) => img.naturalWidth);
    assert.equal(width, 24, 'the seal image loads');
    await assertAccessible(page, 'the agency page with its seal');
  });

  it('searches a register without diacritics and follows a citation to the cited document', { timeout: STEP_MS }, async () => {
    await page.goto(`${base}/app/agencies?as_of=2021-04-30`);
    await Promise.all([
      page.waitForURL((url) => /^\/app\/agencies\/\d+$/.test(url.pathname)),
      page.getByRole('link', { name: STTTT, exact: true }).click(),
    ]);
    const agencyId = path(page).pathname.split('/').pop();
    await page.goto(`${base}/app/documents?agency_id=${agencyId}&direction=outgoing&year=2021`);
    assert.equal(await heading(page), 'Sổ văn bản đi');
    await visible(page.getByText(/^19 văn bản\./), 'the demo register of April 2021');
    await assertAccessible(page, 'the register');
    await page.getByLabel('Tìm trong sổ', { exact: true }).fill('tai nan thuong tich');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === 'tai nan thuong tich'),
      page.getByRole('button', { name: 'Tìm', exact: true }).click(),
    ]);
    await visible(page.getByText(/^1 văn bản\./), 'one document about tai nạn thương tích');
    await visible(page.getByText(/phòng, chống tai nạn thương tích cho trẻ em/), 'its summary, with its diacritics');
    await shot(page, 'register-search');

    await page.getByLabel('Tìm trong sổ', { exact: true }).fill('"ke hoach so 20/KH-UBND"');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === '"ke hoach so 20/KH-UBND"'),
      page.getByRole('button', { name: 'Tìm', exact: true }).click(),
    ]);
    await Promise.all([
      page.waitForURL((url) => /^\/app\/documents\/\d+$/.test(url.pathname)),
      page.locator('table a').first().click(),
    ]);
    await visible(page.getByRole('heading', { name: 'Văn bản được dẫn chiếu', exact: true }), 'the citations');
    await visible(page.getByRole('heading', { name: 'Lịch sử', exact: true }), 'the history');
    await assertAccessible(page, 'the document page');
    await shot(page, 'document');
    await Promise.all([
      page.waitForURL((url) => /^\/app\/documents\/\d+$/.test(url.pathname)),
      page.getByRole('link', { name: /^Văn bản đến số \d+\/2021$/ }).first().click(),
    ]);
    assert.equal(await heading(page), '20/KH-UBND', 'the cited plan, from the incoming register');
    await visible(page.getByRole('heading', { name: 'Được dẫn chiếu bởi', exact: true }), 'the way back');

    await page.goto(`${base}/app/tasks`);
    assert.equal(await heading(page), 'Việc của tôi');
    await assertAccessible(page, 'my tasks');
  });

  it('downloads an issued, signed document and has the public /verify page judge it', { timeout: STEP_MS }, async () => {
    await page.goto(`${base}/app/agencies?as_of=2021-04-30`);
    await Promise.all([
      page.waitForURL((url) => /^\/app\/agencies\/\d+$/.test(url.pathname)),
      page.getByRole('link', { name: STTTT, exact: true }).click(),
    ]);
    const agencyId = path(page).pathname.split('/').pop();
    const q = encodeURIComponent('tai nan thuong tich');
    await page.goto(`${base}/app/documents?agency_id=${agencyId}&direction=outgoing&year=2021&q=${q}`);
    await Promise.all([
      page.waitForURL((url) => /^\/app\/documents\/\d+$/.test(url.pathname)),
      page.locator('table a').first().click(),
    ]);
    const file = page.locator('a[href*="/files/"]').first();
    const row = page.locator('tr', { has: file });
    await visible(row.getByText(/Chữ ký số hợp lệ: Nguyễn Ngọc Thành/), 'the file\'s verdict on the document page');
    const response = await page.request.get(new URL(await file.getAttribute('href'), base).href);
    assert.equal(response.status(), 200);
    const pdf = await response.body();
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

    await page.goto(`${base}/verify`);
    assert.equal(await heading(page), 'Kiểm tra chữ ký số trên văn bản PDF');
    await assertAccessible(page, 'the verify page');
    await page.getByLabel(/Tệp PDF/).setInputFiles({ name: 'cong-van.pdf', mimeType: 'application/pdf', buffer: pdf });
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/verify'),
      page.getByRole('button', { name: 'Kiểm tra', exact: true }).click(),
    ]);
    await visible(page.getByText('Mọi chữ ký (2) đều hợp lệ.'), 'the verdict on both signatures');
    await visible(page.getByRole('cell', { name: /Nguyễn Ngọc Thành/ }), 'the leader as the first signer');
    await assertAccessible(page, 'the verdict');
    await shot(page, 'verify', true);

    const tampered = Buffer.from(pdf);
    const at = tampered.indexOf('/MediaBox');
    tampered[at + 12] = tampered[at + 12] === 0x39 ? 0x38 : 0x39;
    await page.getByLabel(/Tệp PDF/).setInputFiles({ name: 'sua.pdf', mimeType: 'application/pdf', buffer: tampered });
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/verify'),
      page.getByRole('button', { name: 'Kiểm tra', exact: true }).click(),
    ]);
    await visible(page.getByText('Có chữ ký không hợp lệ hoặc chưa xác định được.'), 'a changed byte is caught');
    await page.goto(`${base}/app`); // back where the next step signs out
  });

  it('signs out back to the login page, after which /app needs signing in again', { timeout: STEP_MS }, async () => {
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/app/login'),
      page.getByRole('button', { name: 'Đăng xuất', exact: true }).click(),
    ]);
    assert.equal(await heading(page), 'Đăng nhập hệ thống');
    const cookies = await page.context().cookies(base);
    assert.equal(cookies.some((c) => c.name === 'egov_session'), false, 'the session cookie is removed');

    await page.goto(`${base}/app`);
    const { pathname, params } = path(page);
    assert.equal(pathname, '/app/login');
    assert.equal(params.get('next'), '/app');
  });

  it('lets the new person sign in with the password given to them', { timeout: STEP_MS }, async () => {
    await page.locator('input#email').fill(NEW_PERSON.email);
    await page.locator('input#password').fill(NEW_PERSON.password);
    await Promise.all([
      page.waitForURL((url) => url.pathname !== '/app/login'),
      page.getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    assert.equal(path(page).pathname, '/app');
    assert.equal(await heading(page), 'Tổng quan');
    await visible(page.locator('header .who').getByText(NEW_PERSON.name, { exact: true }), 'the new person\'s name in the top bar');
    await assertAccessible(page, 'the dashboard');
    await shot(page, 'dashboard');
  });

  it('logged no console errors and asked no other host for anything', () => {
    assert.deepEqual(consoleErrors, [], 'console errors');
    assert.deepEqual(foreignRequests, [], 'requests to hosts other than the test server');
    assert.deepEqual(failedRequests, [], 'failed requests');
    assert.deepEqual(badSubresources, [], 'stylesheets, images or scripts answered with an error');
  });

  // Every browser asks for /favicon.ico by itself; a 404 there would be a
  // console error on the first page.
  it('has a favicon, so browsers log no 404 for it', async () => {
    assert.deepEqual(faviconErrors, [], 'console errors for /favicon.ico');
    const res = await fetch(`${base}/favicon.ico`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(res.status, 200, 'GET /favicon.ico');
  });
});
