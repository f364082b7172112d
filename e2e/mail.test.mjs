// End-to-end test of the staff list upload for official mailboxes
// (issue 9) in a real browser.
//
// The administrator opens «Thư điện tử», uploads a small staff list (CSV)
// for the department in which two names give the same address, sees the
// preview with the collision marked and the second address numbered —
// nothing created yet — confirms, and lands on the request waiting for
// the agency head, with the boxes and their planned addresses.
//
// Run: scripts/e2e.sh from the repo root (see harness.mjs for the
// environment).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  ADMIN_EMAIL, STEP_MS, SUITE_MS, assertAccessible, demoInBrowser, heading, shot, signIn, visible,
} from './harness.mjs';

const STTTT = 'Sở Thông tin và Truyền thông tỉnh Trà Vinh';
const LIST = '\ufeffHọ và tên;Chức vụ;Loại\n'
  + 'Nguyễn Văn An;Chuyên viên;cá nhân\n'
  + 'Ngô Văn An;Chuyên viên;\n'
  + 'Kim Thị Sa Rinh;Văn thư;\n';

/** Clicks a button that posts a form and waits for the page it leads to. */
async function press(page, name) {
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
}

describe('official mail in Chromium', { timeout: SUITE_MS }, () => {
  const suite = demoInBrowser();

  it('previews a staff list with a collision, then files it', { timeout: STEP_MS }, async () => {
    const { page, base, server, problems } = suite;
    await signIn(page, base, ADMIN_EMAIL, server.password);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/app/mail'),
      page.getByRole('link', { name: 'Thư điện tử', exact: true }).click(),
    ]);
    await assertAccessible(page, 'the mailboxes');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/app/mail/requests/bulk'),
      page.getByRole('link', { name: 'Đề nghị theo danh sách', exact: true }).click(),
    ]);
    await assertAccessible(page, 'the staff list form');
    const template = await page.request.get(`${base}/app/mail/requests/bulk/mau.csv`);
    assert.equal(template.status(), 200);
    assert.match(await template.text(), /Họ và tên,Chức vụ,Đơn vị,Loại/);

    await page.getByLabel('Cơ quan đề nghị').selectOption({ label: STTTT });
    await page.getByLabel('Ghi chú').fill('Cán bộ mới tuyển dụng');
    await page.getByLabel('Tệp danh sách').setInputFiles({
      name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(LIST),
    });
    await press(page, 'Xem trước');
    const preview = page.locator('#xem-truoc');
    await visible(preview.getByText('annv.stttt@travinh.gov.vn', { exact: true }), 'the first address');
    await visible(preview.getByText('annv2.stttt@travinh.gov.vn', { exact: true }), 'the numbered address');
    await visible(preview.getByText('trùng với annv.stttt@travinh.gov.vn → đánh số'), 'the collision');
    await visible(preview.getByText('rinhkts.stttt@travinh.gov.vn', { exact: true }), 'a Khmer name');
    await assertAccessible(page, 'the preview');
    await shot(page, 'mail-bulk-preview', true);

    await press(page, 'Gửi đề nghị');
    assert.match(new URL(page.url()).pathname, /^\/app\/mail\/requests\/\d+$/);
    assert.match(await heading(page), /^Đề nghị cấp hộp thư số \d+$/);
    await visible(page.locator('#trang-thai').getByText('Chờ thủ trưởng cơ quan duyệt'), 'waiting for the head');
    for (const address of ['annv.stttt@travinh.gov.vn', 'annv2.stttt@travinh.gov.vn', 'rinhkts.stttt@travinh.gov.vn']) {
      await visible(page.getByRole('link', { name: address, exact: true }), address);
    }
    await assertAccessible(page, 'the request');
    await shot(page, 'mail-request', true);

    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
    assert.deepEqual(problems.badSubresources, []);
  });
});
