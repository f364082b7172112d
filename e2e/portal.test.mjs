// End-to-end test of the provincial news portal (issue 11) in a real
// browser.
//
// The press unit's editor writes a Khmer article with a picture made in
// the browser and a Vietnamese one in the portal's own editor (toolbar,
// editable area), sends both for review; the deputy director publishes
// them; a reader, not signed in, finds both on the portal's home, reads
// the Khmer one (lang="km", the Khmer font from Debian served by egov,
// the picture's variant), finds the Vietnamese one by search with and
// without diacritics, the Khmer one by a Khmer word, and both in the
// site's Atom feed. A screenshot of the Khmer page is kept.
//
// Run: scripts/e2e.sh from the repo root (see harness.mjs for the
// environment).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  ADMIN_EMAIL, STEP_MS, SUITE_MS, assertAccessible, demoInBrowser, heading, shot, signIn,
  signOut, visible,
} from './harness.mjs';

const PASSWORD = 'CongTin#2021x';
const STTTT = 'Sở Thông tin và Truyền thông tỉnh Trà Vinh';
const EDITOR = {
  name: 'Võ Thị Thu Trang', email: 'trangvtt.stttt@travinh.gov.vn', unit: 'Phòng Thông tin - Báo chí - Xuất bản',
};
const REVIEWER = { name: 'Nguyễn Ngọc Thành', email: 'thanhnn.stttt@travinh.gov.vn', unit: STTTT };
const MAIN_SITE = 'Cổng Thông tin điện tử tỉnh Trà Vinh';

const KHMER = {
  // "Tra Vinh's Khmer people celebrate the traditional New Year".
  title: 'ប្រជាពលរដ្ឋខ្មែរខេត្តត្រាវិញ ប្រារព្ធពិធីបុណ្យចូលឆ្នាំប្រពៃណី',
  summary: 'ពិធីបុណ្យចូលឆ្នាំថ្មីប្រពៃណីជាតិខ្មែរ ឆ្នាំ២០២១',
  body: 'នៅថ្ងៃទី១៤ ខែមេសា ឆ្នាំ២០២១ ប្រជាពលរដ្ឋខ្មែរនៅខេត្តត្រាវិញ បានប្រារព្ធពិធីបុណ្យចូលឆ្នាំថ្មី នៅតាមវត្តអារាម។',
  word: 'ប្រារព្ធ',
  alt: 'ពិធីបុណ្យនៅវត្ត — Lễ hội tại chùa',
};
const VIETNAMESE = {
  title: 'Khánh thành Trung tâm giám sát, điều hành đô thị thông minh tỉnh Trà Vinh',
  summary: 'Trung tâm giúp lãnh đạo tỉnh theo dõi số liệu chỉ đạo, điều hành theo thời gian thực.',
  body: 'Sáng nay, Ủy ban nhân dân tỉnh khánh thành Trung tâm giám sát, điều hành đô thị thông minh.',
  plain: 'khanh thanh trung tam giam sat',
  marked: 'Khánh thành Trung tâm giám sát',
};

/** Clicks the button named `name` and waits for the page it leads to. */
async function press(page, name) {
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
}

/** Follows the link named `name` and waits for the page it leads to. */
async function follow(page, name) {
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('link', { name, exact: true }).first().click(),
  ]);
}

/** A 640×400 PNG drawn by the browser itself. */
async function picture(page) {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 400;
    const g = canvas.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, 400);
    sky.addColorStop(0, '#f2b705');
    sky.addColorStop(1, '#b22222');
    g.fillStyle = sky;
    g.fillRect(0, 0, 640, 400);
    g.fillStyle = '#fff';
    g.fillRect(220, 140, 200, 160);
    return canvas.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/**
 * Writes one article on the main site in the editor: the fields, the body
 * typed into the editable area, an optional picture inserted from the
 * toolbar; then sends it for review. Returns the article's staff page.
 */
async function write(page, base, article, language, image) {
  await page.goto(`${base}/app/portal`);
  await assertAccessible(page, 'the portal staff home');
  const mine = page.getByRole('listitem').filter({ hasText: MAIN_SITE });
  await Promise.all([
    page.waitForNavigation(),
    mine.getByRole('link', { name: 'Viết bài mới', exact: true }).click(),
  ]);
  await assertAccessible(page, 'the editor');
  await page.getByLabel('Ngôn ngữ', { exact: true }).selectOption(language);
  await page.getByLabel('Tiêu đề', { exact: true }).fill(article.title);
  await page.getByLabel('Tóm tắt', { exact: true }).fill(article.summary);
  await page.getByRole('group', { name: 'Chuyên mục' }).getByRole('checkbox').first().check();
  // The hand-written editor replaces the textarea with an editable area.
  const body = page.getByRole('textbox', { name: 'Nội dung' });
  await visible(body, 'the editable body');
  assert.equal(await page.locator('textarea#body_html').isHidden(), true, 'the textarea is replaced');
  await body.click();
  await page.keyboard.insertText(article.body);
  await press(page, 'Lưu');
  assert.match(new URL(page.url()).pathname, /^\/app\/portal\/articles\/\d+$/);
  const staffPage = page.url();

  if (image) {
    await page.getByLabel(/^Mô tả ảnh/).fill(article.alt);
    await page.getByLabel(/^Tệp ảnh/).setInputFiles({
      name: 'le-hoi.png', mimeType: 'image/png', buffer: await picture(page),
    });
    await press(page, 'Tải lên');
    await visible(page.locator('#image-tag'), 'the uploaded picture\'s tag');
    // The caret at the end of the body, then the toolbar's button.
    await body.click();
    await page.keyboard.press('End');
    await page.getByRole('toolbar', { name: 'Định dạng nội dung' })
      .getByRole('button', { name: 'Chèn ảnh', exact: true }).click();
    await visible(body.locator('img'), 'the picture in the body');
    await press(page, 'Lưu');
    assert.equal(page.url().split('?')[0], staffPage.split('?')[0]);
  }
  await visible(page.getByText('Bản nháp', { exact: true }), 'a draft');
  await press(page, 'Gửi duyệt');
  await visible(page.getByText('Chờ duyệt', { exact: true }), 'waiting for review');
  return staffPage.split('?')[0];
}

describe('the portal in Chromium: write, review, read, search, feed', { timeout: SUITE_MS }, () => {
  const suite = demoInBrowser();
  const staffPages = [];

  it('has the administrator give the editor and the reviewer passwords', { timeout: STEP_MS }, async () => {
    const { page, base, server } = suite;
    await signIn(page, base, ADMIN_EMAIL, server.password);
    for (const person of [EDITOR, REVIEWER]) {
      await page.goto(`${base}/app/agencies?as_of=2021-04-30`);
      await follow(page, person.unit);
      await follow(page, person.name);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(PASSWORD);
      await press(page, 'Đặt lại');
    }
    await signOut(page);
  });

  it('has the editor write a Khmer article with a picture and a Vietnamese one', { timeout: STEP_MS }, async () => {
    const { page, base } = suite;
    await signIn(page, base, EDITOR.email, PASSWORD);
    staffPages.push(await write(page, base, KHMER, 'km', true));
    staffPages.push(await write(page, base, VIETNAMESE, 'vi', false));
    await signOut(page);
  });

  it('has the reviewer publish both from the review queue', { timeout: STEP_MS }, async () => {
    const { page, base } = suite;
    await signIn(page, base, REVIEWER.email, PASSWORD);
    await page.goto(`${base}/app/portal`);
    await assertAccessible(page, 'the review queue');
    for (const title of [KHMER.title, VIETNAMESE.title]) {
      await follow(page, title);
      await press(page, 'Đăng ngay');
      await visible(page.getByText('Đã đăng', { exact: true }), `${title} published`);
      await page.goto(`${base}/app/portal`);
    }
    await signOut(page);
  });

  it('lets a reader find and read both, in Khmer with the Khmer font', { timeout: STEP_MS }, async () => {
    const { page, base } = suite;
    await page.goto(`${base}/`);
    assert.equal(await heading(page), MAIN_SITE);
    await assertAccessible(page, 'the portal home');
    await visible(page.getByRole('link', { name: VIETNAMESE.title, exact: true }), 'the Vietnamese article on the home page');
    await follow(page, KHMER.title);

    assert.equal(await page.locator('html').getAttribute('lang'), 'km');
    // The Vietnamese chrome around it says it is Vietnamese (WCAG 3.1.2).
    assert.equal(await page.locator('header.portal').getAttribute('lang'), 'vi');
    assert.equal(await page.locator('footer.portal-footer').getAttribute('lang'), 'vi');
    assert.equal(await heading(page), KHMER.title);
    await visible(page.getByText(KHMER.body), 'the Khmer body');
    const img = page.locator('main img');
    await visible(img, 'the picture');
    assert.equal(await img.getAttribute('alt'), KHMER.alt);
    await page.waitForFunction(() => {
      const i = document.querySelector('main img');
      return i && i.complete && i.naturalWidth > 0;
    });
    assert.ok(await img.evaluate((i) => i.naturalWidth <= 1280), 'a resized variant, not the upload');
    // The Khmer font egov serves from Debian's fonts-khmeros is the one used.
    await page.evaluate(() => document.fonts.ready);
    const khmerFont = await page.evaluate(async (text) => {
      await document.fonts.load('16px "Khmer OS"', text);
      return document.fonts.check('16px "Khmer OS"', text);
    }, KHMER.title);
    assert.equal(khmerFont, true, 'the Khmer OS font is loaded');
    const family = await page.locator('h1').evaluate((h) => getComputedStyle(h).fontFamily);
    assert.match(family, /Khmer OS/);
    // Khmer has no spaces between words: the browser must wrap the title
    // inside the column, not overflow it.
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the Khmer page overflows a phone's width by ${overflow}px`);
    await shot(page, 'portal-khmer-article-phone', true);
    await page.setViewportSize({ width: 1280, height: 860 });
    await shot(page, 'portal-khmer-article', true);
  });

  it('finds them by search, with and without diacritics, and in Khmer', { timeout: STEP_MS }, async () => {
    const { page, base } = suite;
    for (const words of [VIETNAMESE.plain, VIETNAMESE.marked]) {
      await page.goto(`${base}/`);
      await page.getByRole('search').first().getByLabel('Tìm tin bài').fill(words);
      await press(page, 'Tìm');
      assert.equal(await heading(page), 'Tìm kiếm tin bài');
      await assertAccessible(page, `the search for ${words}`);
      await visible(page.getByRole('link', { name: VIETNAMESE.title, exact: true }), `found by "${words}"`);
    }
    await follow(page, VIETNAMESE.title);
    assert.equal(await heading(page), VIETNAMESE.title);
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    await assertAccessible(page, 'the Vietnamese article');
    await page.goto(`${base}/tim-kiem?q=${encodeURIComponent(KHMER.word)}`);
    await visible(page.getByRole('link', { name: KHMER.title, exact: true }), 'found by a Khmer word');
  });

  it('lists both in the site\'s Atom feed', { timeout: STEP_MS }, async () => {
    const { page, base, problems } = suite;
    await page.goto(`${base}/`);
    const feedHref = await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href');
    const response = await page.request.get(new URL(feedHref, base).href);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^application\/atom\+xml/);
    const titles = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      if (doc.querySelector('parsererror')) return null;
      return [...doc.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry')]
        .map((e) => e.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'title')[0].textContent);
    }, await response.text());
    assert.ok(titles, 'the feed is well-formed XML');
    assert.ok(titles.includes(KHMER.title), 'the Khmer article in the feed');
    assert.ok(titles.includes(VIETNAMESE.title), 'the Vietnamese article in the feed');

    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
    assert.deepEqual(problems.badSubresources, []);
  });
});
