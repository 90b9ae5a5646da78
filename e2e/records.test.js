// End-to-end: recording work and who may see what, in headless Chromium.
// Run by scripts/e2e with the demo data (PCMD_E2E_URL, the demo passwords and
// the caseworker's TOTP secret).
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { base, accounts, shots, launch, totp } = require('./browser');

const totpSecret = process.env.PCMD_E2E_TOTP_SECRET || '';
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

async function signIn(page, username, code) {
  await page.goto(base + '/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', accounts[username]);
  if (code !== undefined) await page.fill('input[name=code]', code);
  await page.click('button[type=submit]');
  await page.waitForURL(base + '/');
}

// "12.345 / 67.890" → 12345: the numerator of a figures cell.
function numerator(text) {
  return Number(text.split('/')[0].replace(/\./g, '').replace(',', '.').trim());
}

// "12.345 / 67.890" → 67890: the denominator of a figures cell.
function denominator(text) {
  return Number(text.split('/')[1].replace(/\./g, '').replace(',', '.').trim());
}

test('an officer records an awareness activity and the target figure changes at once', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, 'canbo.tpst');
  await page.goto(base + '/records/activity/new');
  // The communes of the officer's district as it was in 2024.
  const communes = await page.evaluate(() =>
    [...document.querySelectorAll('#units option')].filter((x) => /^\d{5}$/.test(x.value) && /trước/.test(x.textContent)).map((x) => x.value));
  assert.ok(communes.length > 0, 'the unit list offers the communes of the district');
  const cell = async () => page.locator('table.targets tr:has(a[href*="target=a3.workers"])').locator('td').nth(4).textContent();
  // One where fewer workers were reached than work there, so that the figure can move.
  let commune = null;
  let before = null;
  for (const c of communes) {
    await page.goto(base + `/plans/soc-trang-117-2023?period=2024&unit=${c}`);
    const text = await cell();
    if (text.includes('/') && numerator(text) < denominator(text)) {
      commune = c;
      before = text;
      break;
    }
  }
  assert.ok(commune, 'a commune with workers not all reached');
  const dashboard = base + `/plans/soc-trang-117-2023?period=2024&unit=${commune}`;

  await page.goto(base + '/records/activity/new');
  // A mistake first: a wrong date and no topic are told field by field, in Vietnamese.
  await page.fill('#f-held_on', '31/02/2024');
  await page.click('form.record button[type=submit]');
  assert.ok(await page.isVisible('#e-held_on'), 'the date error is shown next to the field');
  assert.match(await page.textContent('#e-held_on'), /ngày không hợp lệ/);
  assert.match(await page.textContent('#e-topic'), /không được để trống/);
  await page.screenshot({ path: path.join(shots, 'activity-form-errors.png'), fullPage: true });

  await page.fill('#f-held_on', '15/05/2024');
  await page.fill('#f-unit_code', commune);
  await page.selectOption('#f-form', 'meeting');
  await page.fill('#f-topic', 'Tuyên truyền cho người lao động tại cơ sở kinh doanh dịch vụ');
  await page.fill('#f-reached_at_risk_workers', '1.234');
  await page.click('form.record button[type=submit]');
  await page.waitForURL(/\/records\/activity\/\d+$/);
  assert.ok(await page.isVisible('text=Tuyên truyền cho người lao động tại cơ sở kinh doanh dịch vụ'));
  assert.ok(await page.isVisible('table.history >> text=tạo mới'), 'the history shows the entry, in words');

  await page.goto(dashboard);
  const after = await cell();
  // A share of people: the workers reached in the commune count up to the workers there.
  const expected = Math.min(numerator(before) + 1234, denominator(before));
  assert.strictEqual(numerator(after), expected, `workers at at-risk businesses reached in ${commune}: ${before} → ${after}`);
  assert.strictEqual(denominator(after), denominator(before));
  await page.close();
});

test('the dashboard shows a trend and a map of communes coloured by a chosen target', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, 'dieuphoi');
  await page.goto(base + '/plans/soc-trang-117-2023?period=2024');
  assert.strictEqual(await page.locator('table.trend thead th').count(), 3, 'target, 2024, 2025');
  // One chart per target of the resolution (15 in data/plans/soc-trang-117-2023.toml).
  assert.strictEqual(await page.locator('figure.chart svg').count(), 15);
  const areas = await page.locator('figure.map path.area').count();
  assert.strictEqual(areas, 108, 'the 108 communes of Sóc Trăng in 2024, each an area');
  await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });
  await page.selectOption('select[name=map]', 'c2.inspected_yearly');
  await page.locator('form[action="#map"] button').click();
  await page.waitForLoadState();
  assert.match(await page.getAttribute('figure.map svg', 'aria-label'), /^c2 — Tỉnh Sóc Trăng — 2024/);
  assert.strictEqual(await page.inputValue('select[name=map]'), 'c2.inspected_yearly');
  await page.locator('figure.map').screenshot({ path: path.join(shots, 'map.png') });
  // An area leads to its commune's dashboard.
  await page.locator('figure.map a').first().click();
  await page.waitForLoadState();
  assert.match(page.url(), /unit=\d{5}/);
  assert.ok(await page.isVisible('nav.breadcrumb >> text=Tỉnh Sóc Trăng'));
  await page.close();
});

test('a supervisor is refused a support case', async () => {
  const page = await browser.newPage();
  await signIn(page, 'giamsat');
  const list = await page.goto(base + '/records/support_case');
  assert.strictEqual(list.status(), 403);
  const one = await page.goto(base + '/records/support_case/1');
  assert.strictEqual(one.status(), 403);
  assert.ok(await page.isVisible('text=Bạn không có quyền xem nội dung này.'));
  await page.close();
});

test('a caseworker signs in with a TOTP code and sees a person they support', async () => {
  assert.ok(totpSecret, 'scripts/e2e passes the demo caseworker\'s TOTP secret');
  const page = await browser.newPage();
  // Without the code: refused.
  await page.goto(base + '/login');
  await page.fill('input[name=username]', 'ctxh.tpst');
  await page.fill('input[name=password]', accounts['ctxh.tpst']);
  await page.click('button[type=submit]');
  assert.ok(await page.isVisible('text=Mã xác thực không đúng.'));
  await signIn(page, 'ctxh.tpst', totp(totpSecret));
  await page.goto(base + '/records/support_case');
  await page.locator('table.records tbody a').first().click();
  await page.waitForURL(/\/records\/support_case\/\d+$/);
  assert.ok(await page.isVisible('table.personal'), 'the identity is shown to the caseworker');
  assert.ok(await page.isVisible('text=Lần xem này đã được ghi vào nhật ký hệ thống.'));
  await page.close();
});
