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


import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  ADMIN_EMAIL, STEP_MS, SUITE_MS, assertAccessible, demoInBrowser, heading, path,
  shot, visible,
} from './harness.mjs';

const ADMIN_NAME = 'Quản trị hệ thống';
const STTTT = 'Sở Thông tin và Truyền thông tỉnh Trà Vinh';
const NEW_PERSON = {
  name: 'Kim Thị Sa Rươne',
  position: 'Chuyên viên',
  email: 'rounekts.stttt@travinh.gov.vn',
  password: 'Sarune#2021',
};
const BAD_CREDENTIALS = 'Thư điện tử, mật khẩu hoặc mã xác thực không đúng';

// ---------------------------------------------------------------- the test

describe('egov staff UI in Chromium', { timeout: SUITE_MS }, () => {
  const suite = demoInBrowser();

  it('sends a visitor who is not signed in to the login page, keeping where they were going', { timeout: STEP_MS }, async () => {
    const { page, base, server, problems } = suite;
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
    const { page, base, server, problems } = suite;
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
    const { page, base, server, problems } = suite;
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
    const { page, base, server, problems } = suite;
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
    const { page, base, server, problems } = suite;
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
    const { page, base, server, problems } = suite;
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
    const { page, base, server, problems } = suite;
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
    const { page, base, server, problems } = suite;
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
    const { page, base, server, problems } = suite;
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
    const { page, base, server, problems } = suite;
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
    const { problems } = suite;
    assert.deepEqual(problems.consoleErrors, [], 'console errors');
    assert.deepEqual(problems.foreignRequests, [], 'requests to hosts other than the test server');
    assert.deepEqual(problems.failedRequests, [], 'failed requests');
    assert.deepEqual(problems.badSubresources, [], 'stylesheets, images or scripts answered with an error');
  });

  // Every browser asks for /favicon.ico by itself; a 404 there would be a
  // console error on the first page.
  it('has a favicon, so browsers log no 404 for it', async () => {
    const { page, base, server, problems } = suite;
    assert.deepEqual(problems.faviconErrors, [], 'console errors for /favicon.ico');
    const res = await fetch(`${base}/favicon.ico`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(res.status, 200, 'GET /favicon.ico');
  });
});
