// End-to-end: a coordinator takes a plan in from its text without a programmer.
// The resolution 117/NQ-HĐND is uploaded as a Word file (the seed converted by
// LibreOffice, as a province would send it), the draft is read beside the text,
// one threshold is corrected (a1: 100% → 95%), the plan confirmed, and the
// dashboard reads the new threshold; corrected again (90%), the plan's versions
// say who changed what.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { base, accounts, shots, launch } = require('./browser');

let browser;
before(async () => { browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

test('a coordinator uploads a plan, corrects a threshold, confirms, and sees it on the dashboard', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(base + '/login');
  await page.fill('input[name=username]', 'dieuphoi');
  await page.fill('input[name=password]', accounts.dieuphoi);
  await page.click('button[type=submit]');
  // Under a key and number of its own: the other browser tests run at the same time on 117/NQ-HĐND.
  const take = async (threshold) => {
    await page.goto(base + '/');
    await page.click('text=Nhập kế hoạch từ văn bản');
    await page.setInputFiles('#file', path.join(__dirname, '..', 'crates', 'report', 'tests', 'fixtures', 'soc-trang-117-2023.docx'));
    await page.click('text=Đọc văn bản');
    await page.waitForSelector('fieldset.target-row');
    assert.strictEqual(await page.locator('fieldset.target-row').count(), 15, 'the 15 targets of Điều 1 khoản 4');
    assert.ok(await page.locator('ol.source-lines li.marked').count() >= 10, 'their sentences marked in the text');
    assert.strictEqual(await page.inputValue('input[name="t.0.low"]'), '100');
    await page.fill('#p-key', 'thu-nghiem-117');
    await page.fill('#p-number', '117-TN/NQ-HĐND');
    await page.fill('input[name="t.0.low"]', threshold);
    if (threshold === '95') await page.screenshot({ path: path.join(shots, 'plan-review-1366.png') });
    await page.click('text=Xác nhận và lưu kế hoạch');
    await page.waitForURL(/\/plans\/thu-nghiem-117\?saved=1$/);
    assert.ok(await page.isVisible('text=Đã lưu kế hoạch.'));
  };
  await take('95');
  assert.ok((await page.textContent('main')).includes('≥ 95%'), 'the dashboard reads the corrected threshold');
  // Corrected again: a second version, the first kept, and what changed said.
  await take('90');
  assert.ok((await page.textContent('main')).includes('≥ 90%'));
  await page.click('details.versions summary');
  const versions = await page.textContent('details.versions');
  assert.ok(versions.includes('chỉ tiêu a1, threshold_low: 95.0 → 90.0'), versions);
  assert.ok(versions.includes('dieuphoi (draft)'));
  assert.ok(versions.includes('phiên bản đầu'));
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(base + '/login');
  await phone.fill('input[name=username]', 'dieuphoi');
  await phone.fill('input[name=password]', accounts.dieuphoi);
  await phone.click('button[type=submit]');
  await phone.goto(base + '/plans/new');
  await phone.setInputFiles('#file', path.join(__dirname, '..', 'crates', 'report', 'tests', 'fixtures', 'lai-chau-2022.pdf'));
  await phone.click('text=Đọc văn bản');
  await phone.waitForSelector('fieldset.target-row');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 390 px (${overflow} px over)`);
  await phone.screenshot({ path: path.join(shots, 'plan-review-390.png') });
  await phone.close();
  await page.close();
});
