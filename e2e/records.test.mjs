// End-to-end test of the department's other records (issue 10) in a real
// browser.
//
// A citizen, not signed in, looks up VNPT's BTS confirmations in the
// public licence registry. Then the administrator goes through each area
// from the navigation — licences, inspections, citizen reception, commune
// radio, training — and reads April 2021's figures off each figures page,
// which must be the seed report's: 17 publication licences filed online,
// one kiểm tra of 10 individuals without violation, the periodic day held
// and 2 people with 2 cases received regularly, 82 stations producing
// 27 minutes a day, 3 + 2 + 1 people in training.
//
// Run: scripts/e2e.sh from the repo root (see harness.mjs for the
// environment).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  ADMIN_EMAIL, STEP_MS, SUITE_MS, assertAccessible, demoInBrowser, heading, shot, signIn, visible,
} from './harness.mjs';

const APRIL = 'from=2021-04-01&to=2021-04-30';

/** The text of the `<dd>` after the `<dt>` named `term`. */
async function fact(page, term) {
  const dt = page.locator('dl.facts dt').filter({ hasText: new RegExp(`^${term}$`) });
  await visible(dt, term);
  return (await dt.locator('xpath=following-sibling::dd[1]').innerText()).trim();
}

/** The cells of the table row headed `label`. */
async function row(page, label) {
  const th = page.getByRole('rowheader', { name: label, exact: true });
  await visible(th, label);
  return th.locator('xpath=..').locator('td').allInnerTexts();
}

describe('licences, inspections, reception, radio and training in Chromium', { timeout: SUITE_MS }, () => {
  const suite = demoInBrowser();

  it('a citizen finds BTS confirmations in the public registry', { timeout: STEP_MS }, async () => {
    const { page, base, server, problems } = suite;
    await page.goto(`${base}/giay-phep`);
    assert.equal(await heading(page), 'Tra cứu giấy phép');
    await assertAccessible(page, 'the public registry');
    await page.getByLabel(/^Tên tổ chức, cá nhân/).fill('vnpt tra vinh');
    await page.getByLabel('Loại').selectOption({ label: 'Xác nhận sự phù hợp xây dựng trạm BTS' });
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Tìm', exact: true }).click(),
    ]);
    await visible(page.getByRole('heading', { name: '12 giấy phép', exact: true }), 'twelve stations');
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 12);
    for (const text of await rows.allInnerTexts()) {
      assert.match(text, /Viễn thông Trà Vinh \(VNPT Trà Vinh\)/);
      assert.match(text, /Còn hiệu lực/, 'a confirmation has no term');
    }
    await assertAccessible(page, 'the registry found');
    await shot(page, 'licences-public', true);
  });

  it('the administrator reads April 2021 in every area', { timeout: STEP_MS * 3 }, async () => {
    const { page, base, server, problems } = suite;
    await signIn(page, base, ADMIN_EMAIL, server.password);
    const areas = [
      ['Giấy phép', '/app/licences'],
      ['Thanh tra, kiểm tra', '/app/inspections'],
      ['Tiếp công dân', '/app/reception'],
      ['Thông tin cơ sở', '/app/grassroots'],
      ['Đào tạo, bồi dưỡng', '/app/training'],
    ];
    for (const [name, pathname] of areas) {
      await Promise.all([
        page.waitForURL((url) => url.pathname === pathname),
        page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name, exact: true }).click(),
      ]);
      await assertAccessible(page, name);
    }

    await page.goto(`${base}/app/licences/figures?${APRIL}`);
    await assertAccessible(page, 'the licensing figures');
    // Desk, online, post, renewed, revoked, in force at the end.
    assert.deepEqual(await row(page, 'Giấy phép xuất bản tài liệu không kinh doanh'), ['0', '17', '0', '0', '0', '17']);
    assert.equal((await row(page, 'Xác nhận sự phù hợp xây dựng trạm BTS'))[0], '12');

    await page.goto(`${base}/app/inspections/figures?${APRIL}`);
    await assertAccessible(page, 'the inspection figures');
    assert.equal(await fact(page, 'Số cuộc trong kỳ'), '1');
    assert.equal(await fact(page, 'Đối tượng được thanh tra, kiểm tra'), '10 (0 doanh nghiệp, tổ chức; 10 cá nhân)');
    assert.equal(await fact(page, 'Đối tượng có vi phạm'), '0');

    await page.goto(`${base}/app/reception/figures?${APRIL}`);
    await assertAccessible(page, 'the reception figures');
    assert.equal(await fact(page, 'Buổi tiếp định kỳ đã tổ chức'), '1');
    assert.match(await fact(page, 'Tiếp định kỳ'), /^0 lượt người, 0 vụ việc/);
    assert.match(await fact(page, 'Tiếp thường xuyên'), /^2 lượt người, 2 vụ việc/);
    assert.equal(await fact(page, 'Đơn khiếu nại'), '0');
    assert.equal(await fact(page, 'Đơn tố cáo'), '0');
    assert.match(await fact(page, 'Đơn phản ánh, kiến nghị'), /^0 /);

    // The radio figures through their own form, as an officer asks them.
    await page.goto(`${base}/app/grassroots/figures`);
    await page.getByLabel('Từ ngày').fill('2021-04-01');
    await page.getByLabel('Đến ngày').fill('2021-04-30');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Xem', exact: true }).click(),
    ]);
    await assertAccessible(page, 'the radio figures');
    assert.equal(await fact(page, 'Đài tự sản xuất chương trình trong kỳ'), '82');
    assert.match(await fact(page, 'Thời lượng tự sản xuất bình quân'), /^27 phút\/ngày/);
    await shot(page, 'grassroots-figures', true);

    await page.goto(`${base}/app/training/figures?${APRIL}`);
    await assertAccessible(page, 'the training figures');
    assert.equal((await row(page, 'Cao cấp lý luận chính trị'))[0], '3');
    assert.equal((await row(page, 'Trung cấp lý luận chính trị - hành chính'))[0], '2');
    assert.equal((await row(page, 'Thanh tra viên chính'))[0], '1');

    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
    assert.deepEqual(problems.badSubresources, []);
  });
});
