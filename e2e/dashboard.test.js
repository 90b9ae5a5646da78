// End-to-end: pcmd's pages in headless Chromium, as a person uses them.
// Run by scripts/e2e (which builds pcmd, starts it on a fresh SQLite file with
// the demo data, and passes PCMD_E2E_URL and the demo passwords).
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { base, accounts, shots, launch } = require('./browser');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

async function signIn(page, username) {
  await page.goto(base + '/');
  assert.match(page.url(), /\/login$/);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', accounts[username]);
  await page.click('button[type=submit]');
  await page.waitForURL(base + '/');
}

test('a coordinator sees the targets of the resolution with their status', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, 'dieuphoi');
  await page.click('text=117/NQ-HĐND');
  await page.waitForLoadState();
  await page.selectOption('select[name=period]', '2024');
  await page.click('text=Xem');
  await page.waitForLoadState();
  const met = await page.locator('.status.met').count();
  const notMet = await page.locator('.status.not_met').count();
  assert.ok(met > 0 && notMet > 0, `met ${met}, not met ${notMet}`);
  assert.ok(await page.isVisible('text=dữ liệu mẫu tổng hợp'));
  await page.screenshot({ path: path.join(shots, 'dashboard-2024.png'), fullPage: true });
  // Drill down to a district.
  await page.click('ul.children >> text=Thành phố Sóc Trăng');
  await page.waitForLoadState();
  assert.ok((await page.textContent('h1')).includes('Thành phố Sóc Trăng'));
  await page.close();
});

test('an officer of a district is refused the province and sees their own', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(page, 'canbo.tpst');
  const denied = await page.goto(base + '/plans/soc-trang-117-2023?period=2024&unit=94');
  assert.strictEqual(denied.status(), 403);
  const own = await page.goto(base + '/plans/soc-trang-117-2023?period=2024&unit=941');
  assert.strictEqual(own.status(), 200);
  await page.screenshot({ path: path.join(shots, 'officer-phone.png'), fullPage: true });
  await page.close();
});

test('a wrong password is told in Vietnamese, and English is one click away', async () => {
  const page = await browser.newPage();
  await page.goto(base + '/login');
  await page.fill('input[name=username]', 'giamsat');
  await page.fill('input[name=password]', 'không đúng');
  await page.click('button[type=submit]');
  assert.ok(await page.isVisible('text=Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng.'));
  await signIn(page, 'giamsat');
  await page.click('text=English');
  await page.waitForLoadState();
  assert.ok(await page.isVisible('text=Plans and resolutions'));
  await page.close();
});
