// End-to-end test of the public-service portal and the one-stop desk in a
// real browser (issue 8's acceptance).
//
// A citizen, on a phone-sized screen, finds a procedure by typing without
// diacritics, submits a dossier online with two files (after a wrong file
// is refused with a message and what they typed is kept), gets the code,
// confirms from the link in the e-mail egov wrote to its pickup folder,
// and tracks the dossier. Then the officers, each signed in as themselves:
// the desk accepts it and gives it to a specialist, the specialist opens
// a file and proposes, the leader approves, the desk returns the result;
// the citizen's tracking page then shows it returned, step by step.
// Another citizen registers an account, confirms it from its e-mail,
// signs in and submits with the form filled from the account: the
// dossier goes straight to the desk and is listed under "Hồ sơ của tôi".
//
// Run: scripts/e2e.sh from the repo root (see harness.mjs for the
// environment).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  ADMIN_EMAIL, SCREENSHOTS, STEP_MS, assertAccessible, freePort, heading, launch, path, shot,
  signIn, signOut, startServer, stopServer, visible,
} from './harness.mjs';

const SUITE_MS = 120_000;
const STTTT = 'Sở Thông tin và Truyền thông tỉnh Trà Vinh';
const PROCEDURE = 'Cấp văn bản xác nhận thông báo hoạt động bưu chính';
const CITIZEN = {
  name: 'Thạch Thị Sa Rên',
  email: 'sa.ren@example.vn',
  phone: '0912 345 678',
};
const PASSWORD = 'MotCua#2021x';
const HOLDER = {
  name: 'Kim Thị Thúy',
  email: 'kim.thuy@example.vn',
  phone: '0987 654 321',
  password: 'TaiKhoan#2021',
};
const DESK = { name: 'Phạm Thị Út', email: 'utpt.stttt@travinh.gov.vn' };
const SPECIALIST = { name: 'Thạch Sô Phiếp', email: 'phiepts.stttt@travinh.gov.vn' };
const LEADER = { name: 'Nguyễn Ngọc Thành', email: 'thanhnn.stttt@travinh.gov.vn' };

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');

/** The body of the e-mail to `to` in the pickup folder, decoded. */
function mailTo(folder, to) {
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.eml')).sort()) {
    const message = readFileSync(join(folder, name), 'utf8');
    if (!message.includes(`\r\nTo: ${to}\r\n`)) continue;
    const body = message.split('\r\n\r\n').slice(1).join('').replace(/\s+/g, '');
    return Buffer.from(body, 'base64').toString('utf8');
  }
  throw new Error(`no e-mail to ${to} in ${folder}`);
}

/** Clicks a button that posts a form and waits for the page it leads to. */
async function press(page, name) {
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
}

describe('public services in Chromium', { timeout: SUITE_MS }, () => {
  let dataDir;
  let pickup;
  let server;
  let browser;
  let page;
  let base;
  let problems;
  let code;
  let procedureUrl;

  const lastResort = () => {
    if (server && !server.exited) server.child.kill('SIGKILL');
    for (const dir of [dataDir, pickup]) if (dir) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', lastResort);
  setTimeout(() => {
    console.error(`e2e watchdog: still running after ${SUITE_MS + 15_000} ms, stopping`);
    process.exit(1);
  }, SUITE_MS + 15_000).unref();

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'egov-e2e-data-'));
    pickup = mkdtempSync(join(tmpdir(), 'egov-e2e-mail-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    server = await startServer(dataDir, port, {
      EGOV_NOTICE_PICKUP_DIR: pickup,
      EGOV_SERVICES_PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    base = server.base;
    assert.equal(server.email, ADMIN_EMAIL);
    ({ browser, page, problems } = await launch(base, { width: 390, height: 844 }));
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await stopServer(server);
      lastResort();
    }
  });

  it('lets a citizen on a phone find a procedure typed without diacritics', { timeout: STEP_MS }, async () => {
    await page.goto(`${base}/`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/dich-vu-cong'),
      page.getByRole('link', { name: /^Dịch vụ công trực tuyến/ }).click(),
    ]);
    await assertAccessible(page, 'the procedure search');
    await page.getByLabel(/^Tìm thủ tục/).fill('xac nhan thong bao hoat dong buu chinh');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === 'xac nhan thong bao hoat dong buu chinh'),
      page.getByRole('button', { name: 'Tìm', exact: true }).click(),
    ]);
    await visible(page.getByRole('link', { name: PROCEDURE, exact: true }), 'the procedure found');
    assert.equal(await page.getByRole('link', { name: 'Cấp giấy phép hoạt động in' }).count(), 0, 'only what matches');
    await Promise.all([
      page.waitForURL((url) => /^\/dich-vu-cong\/thu-tuc\/\d+$/.test(url.pathname)),
      page.getByRole('link', { name: PROCEDURE, exact: true }).click(),
    ]);
    assert.equal(await heading(page), PROCEDURE);
    procedureUrl = page.url();
    await visible(page.getByText('Đăng nhập để nộp không cần xác nhận thư'), 'the guest is told of accounts');
    await visible(page.getByText('7 ngày làm việc'), 'the processing time');
    await visible(page.getByText('1.000.000 đồng'), 'the fee');
    await assertAccessible(page, 'the procedure page');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page fits the phone's width (${overflow} px too wide)`);
    await shot(page, 'services-procedure-phone', true);
  });

  it('refuses a program among the files, keeping what was typed, then takes two good files and gives the code', { timeout: STEP_MS }, async () => {
    await page.getByLabel(/^Họ và tên/).fill(CITIZEN.name);
    await page.getByLabel(/^Thư điện tử/).fill(CITIZEN.email);
    await page.getByLabel('Số điện thoại', { exact: true }).fill(CITIZEN.phone);
    await page.locator('#tep_0').setInputFiles({ name: 'to-khai.exe', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 a program') });
    await press(page, 'Nộp hồ sơ');
    await visible(page.getByRole('alert').getByText(/không được chấp nhận/), 'the refusal');
    assert.equal(await page.getByLabel(/^Họ và tên/).inputValue(), CITIZEN.name, 'the name is kept');
    await assertAccessible(page, 'the form with an error');

    await page.locator('#tep_0').setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.locator('#tep_1').setInputFiles({ name: 'can-cuoc.png', mimeType: 'image/png', buffer: PNG });
    await press(page, 'Nộp hồ sơ');
    assert.equal(await heading(page), 'Đã nhận hồ sơ');
    code = (await page.locator('#ma-ho-so').textContent()).trim();
    assert.match(code, /^000\.00\.11\.H59-\d{6}-0001$/);
    await assertAccessible(page, 'the submitted page');
    await shot(page, 'services-submitted-phone');
  });

  it('confirms from the link in the e-mail and tracks the dossier', { timeout: STEP_MS }, async () => {
    const mail = mailTo(pickup, CITIZEN.email);
    assert.ok(mail.includes(code), 'the e-mail names the code');
    const link = /http:\/\/\S+\/dich-vu-cong\/xac-nhan\?t=[0-9a-f]{64}/.exec(mail)?.[0];
    assert.ok(link, `a confirmation link in:\n${mail}`);
    await page.goto(link);
    await assertAccessible(page, 'the confirmation page');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/dich-vu-cong/tra-cuu'),
      page.getByRole('button', { name: 'Xác nhận nộp hồ sơ', exact: true }).click(),
    ]);
    await visible(page.locator('#tinh-trang').getByText('Đang tiếp nhận'), 'the dossier waits for the desk');
    await visible(page.getByRole('cell', { name: 'Xác nhận thư điện tử', exact: true }), 'the confirmation step');
    await assertAccessible(page, 'the tracking page');
  });

  it('pays the fee through the gateway and gets the receipt', { timeout: STEP_MS }, async () => {
    const tracking = page.url();
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/cong-thanh-toan-thu'),
      page.getByRole('button', { name: 'Thanh toán trực tuyến 1.000.000 đồng', exact: true }).click(),
    ]);
    assert.equal(await heading(page), 'Cổng thanh toán thử nghiệm');
    await visible(page.getByText(`Nộp phí, lệ phí hồ sơ ${code}`), 'what is paid for');
    await assertAccessible(page, 'the gateway');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/dich-vu-cong/thanh-toan/ket-qua'),
      page.getByRole('button', { name: 'Thanh toán', exact: true }).click(),
    ]);
    const receipt = (await page.locator('#bien-lai').textContent()).trim();
    assert.match(receipt, /^0000001\/\d{4}$/);
    await page.goto(tracking);
    await visible(page.locator('#phi').getByText(/Đã nộp/), 'the fee shows paid');
    assert.equal(await page.getByRole('button', { name: /^Thanh toán trực tuyến/ }).count(), 0, 'nothing more to pay');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/dich-vu-cong/bien-lai'),
      page.getByRole('link', { name: `Biên lai số ${receipt}`, exact: true }).click(),
    ]);
    await visible(page.getByText('Một triệu đồng', { exact: false }), 'the amount in words');
    await assertAccessible(page, 'the receipt');
    await shot(page, 'services-receipt-phone', true);
  });

  it('registers an account, confirms it by e-mail and submits from it straight to the desk', { timeout: STEP_MS }, async () => {
    await page.goto(`${base}/dich-vu-cong`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/dich-vu-cong/dang-ky'),
      page.getByRole('link', { name: 'Đăng ký tài khoản', exact: true }).click(),
    ]);
    await assertAccessible(page, 'the registration form');
    await page.getByLabel(/^Họ và tên/).fill(HOLDER.name);
    await page.getByLabel(/^Thư điện tử/).fill(HOLDER.email);
    await page.getByLabel(/^Số điện thoại/).fill(HOLDER.phone);
    await page.getByLabel(/^Mật khẩu/).fill(HOLDER.password);
    await page.getByLabel(/^Nhập lại mật khẩu/).fill(HOLDER.password);
    await press(page, 'Đăng ký');
    assert.equal(await heading(page), 'Đã đăng ký tài khoản');

    const link = /http:\/\/\S+\/dich-vu-cong\/xac-nhan-tai-khoan\?t=[0-9a-f]{64}/.exec(mailTo(pickup, HOLDER.email))?.[0];
    assert.ok(link, 'a confirmation link in the e-mail');
    await page.goto(link);
    await assertAccessible(page, 'the account confirmation page');
    await press(page, 'Kích hoạt tài khoản');
    assert.equal(await heading(page), 'Tài khoản đã được kích hoạt');

    await page.goto(`${base}/dich-vu-cong/dang-nhap?next=${new URL(procedureUrl).pathname}`);
    await assertAccessible(page, 'the sign-in form');
    await page.getByLabel('Thư điện tử', { exact: true }).fill(HOLDER.email);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(HOLDER.password);
    await press(page, 'Đăng nhập');
    assert.equal(page.url(), procedureUrl);
    assert.equal(await page.getByLabel(/^Họ và tên/).inputValue(), HOLDER.name, 'filled from the account');
    assert.notEqual(await page.getByLabel(/^Họ và tên/).getAttribute('readonly'), null, 'and locked');
    await page.locator('#tep_0').setInputFiles({ name: 'don.pdf', mimeType: 'application/pdf', buffer: PDF });
    await press(page, 'Nộp hồ sơ');
    assert.equal(await heading(page), 'Đã nhận hồ sơ');
    const own = (await page.locator('#ma-ho-so').textContent()).trim();
    assert.notEqual(own, code);

    await Promise.all([
      page.waitForURL((url) => url.pathname === '/dich-vu-cong/ho-so-cua-toi'),
      page.getByRole('link', { name: 'Hồ sơ của tôi', exact: true }).click(),
    ]);
    await assertAccessible(page, 'my dossiers');
    const row = page.locator('tbody tr', { hasText: own });
    await visible(row.getByText('Chờ kiểm tra, tiếp nhận'), 'with the desk at once');
    await visible(row.getByText(PROCEDURE), 'the procedure');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `my dossiers fit the phone's width (${overflow} px too wide)`);
    await shot(page, 'services-my-dossiers-phone', true);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/dich-vu-cong'),
      page.getByRole('button', { name: 'Đăng xuất', exact: true }).click(),
    ]);
  });

  it('has the administrator give the officers their passwords', { timeout: STEP_MS }, async () => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await signIn(page, base, ADMIN_EMAIL, server.password);
    await page.goto(`${base}/app/agencies?as_of=2021-04-30`);
    await Promise.all([
      page.waitForURL((url) => /^\/app\/agencies\/\d+$/.test(url.pathname)),
      page.getByRole('link', { name: STTTT, exact: true }).click(),
    ]);
    const agency = page.url();
    for (const person of [DESK, SPECIALIST, LEADER]) {
      await page.goto(agency);
      await Promise.all([
        page.waitForURL((url) => /^\/app\/people\/\d+$/.test(url.pathname)),
        page.getByRole('link', { name: person.name, exact: true }).click(),
      ]);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(PASSWORD);
      await press(page, 'Đặt lại');
    }
    await signOut(page);
  });

  it('has the desk accept the dossier and give it to a specialist', { timeout: STEP_MS }, async () => {
    await signIn(page, base, DESK.email, PASSWORD);
    await page.getByRole('link', { name: 'Một cửa', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/app/services');
    await assertAccessible(page, 'the desk');
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/app/services/dossiers/${code}`),
      page.getByRole('link', { name: code, exact: true }).click(),
    ]);
    await assertAccessible(page, 'the dossier page at the desk');
    await press(page, 'Tiếp nhận hồ sơ trực tuyến');
    await visible(page.locator('#buoc').getByText('Đã tiếp nhận'), 'accepted');
    const slip = await page.request.get(`${base}/app/services/dossiers/${code}/slip.pdf`);
    assert.equal(slip.status(), 200);
    assert.equal((await slip.body()).subarray(0, 5).toString(), '%PDF-');
    await page.getByLabel('Chuyển thụ lý cho').selectOption({ label: `${SPECIALIST.name} — Chuyên viên` });
    await press(page, 'Chuyển thụ lý');
    await visible(page.locator('#buoc').getByText('Đang thụ lý'), 'with the specialist');
    await shot(page, 'services-dossier-desk', true);
    await signOut(page);
  });

  it('has the specialist open a file and propose, and the leader approve', { timeout: STEP_MS }, async () => {
    await signIn(page, base, SPECIALIST.email, PASSWORD);
    await page.goto(`${base}/app/services`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/app/services/dossiers/${code}`),
      page.getByRole('link', { name: code, exact: true }).click(),
    ]);
    const file = await page.request.get(`${base}${await page.getByRole('link', { name: 'can-cuoc.png' }).getAttribute('href')}`);
    assert.equal(file.status(), 200);
    assert.deepEqual(await file.body(), PNG);
    await page.getByLabel('Ghi chú: Trình phê duyệt').fill('Đủ điều kiện cấp phép');
    await press(page, 'Trình phê duyệt');
    await visible(page.locator('#buoc').getByText('Chờ lãnh đạo phê duyệt'), 'proposed');
    await signOut(page);

    await signIn(page, base, LEADER.email, PASSWORD);
    await page.goto(`${base}/app/services`);
    await visible(page.getByRole('heading', { name: /^Chờ lãnh đạo phê duyệt/ }), 'the leader\'s list');
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/app/services/dossiers/${code}`),
      page.getByRole('link', { name: code, exact: true }).click(),
    ]);
    await press(page, 'Phê duyệt kết quả');
    await visible(page.locator('#buoc').getByText('Có kết quả, chờ trả'), 'approved');
    await signOut(page);
  });

  it('has the desk return the result, which the citizen then sees with every step', { timeout: STEP_MS }, async () => {
    await signIn(page, base, DESK.email, PASSWORD);
    await page.goto(`${base}/app/services`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/app/services/dossiers/${code}`),
      page.getByRole('link', { name: code, exact: true }).click(),
    ]);
    await press(page, 'Trả kết quả');
    await visible(page.locator('#buoc').getByText('Đã trả kết quả'), 'returned');
    await visible(page.getByText('Trước hạn').or(page.getByText('Đúng hạn')), 'returned in time');

    // This month's figures count it: received online at level 4, returned.
    await page.goto(`${base}/app/services`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/app/services/figures'),
      page.getByRole('link', { name: 'Thống kê dịch vụ công' }).click(),
    ]);
    const level4 = page.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: 'Mức độ 4', exact: true }) });
    const online = Number(await level4.locator('td').nth(1).textContent());
    assert.ok(online >= 1, `online dossiers at level 4: ${online}`);
    const returned = await page.locator('dt', { hasText: 'Đã trả kết quả trong kỳ' }).locator('xpath=following-sibling::dd[1]').textContent();
    assert.ok(Number(returned.split(' ')[0]) >= 1, `returned: ${returned}`);
    await signOut(page);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/dich-vu-cong/tra-cuu`);
    await page.getByLabel('Mã hồ sơ', { exact: true }).fill(code);
    await page.getByLabel(/^Số điện thoại hoặc thư điện tử/).fill('0912345678');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('ma') === code),
      page.getByRole('button', { name: 'Tra cứu', exact: true }).click(),
    ]);
    await visible(page.locator('#tinh-trang').getByText('Đã trả kết quả'), 'the citizen sees it returned');
    const steps = await page.locator('tbody tr td:nth-child(2)').allTextContents();
    await visible(page.locator('#phi').getByText(/Đã nộp/), 'the fee still shows paid');
    assert.deepEqual(steps, [
      'Nộp trực tuyến', 'Xác nhận thư điện tử', 'Tiếp nhận hồ sơ trực tuyến', 'Chuyển thụ lý',
      'Trình phê duyệt', 'Phê duyệt kết quả', 'Trả kết quả',
    ]);
    assert.equal(await page.getByText('Đủ điều kiện cấp phép').count(), 0, 'officers\' notes stay inside');
    assert.equal(path(page).pathname, '/dich-vu-cong/tra-cuu');
    await shot(page, 'services-tracking-phone', true);
  });

  it('logged no console errors and asked no other host for anything', () => {
    // The one refused submission answers 422, which Chromium logs.
    const unexpected = problems.consoleErrors.filter(
      (line) => !/\/dich-vu-cong\/thu-tuc\/\d+\/nop: .*status of 422/.test(line),
    );
    assert.equal(problems.consoleErrors.length - unexpected.length, 1, 'the refusal answered 422');
    assert.deepEqual(unexpected, [], 'console errors');
    assert.deepEqual(problems.foreignRequests, [], 'requests to other hosts');
    assert.deepEqual(problems.failedRequests, [], 'failed requests');
    assert.deepEqual(problems.badSubresources, [], 'sub-resources with an error');
  });
});
