// End-to-end: a plan's reporting duty, followed in the browser. Lai Châu's
// lead agency (Sở LĐTBXH) sees each report due under "Định kỳ 06 tháng 01 năm
// báo cáo UBND tỉnh (qua Sở LĐTBXH)" with its due day and who owes it; the
// health department opens its own report on its tasks and sends it; the lead
// agency then reads it as sent late. At 1366 and 390 px.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { base, accounts, shots, launch } = require('./browser');

let browser;
before(async () => { browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

async function signIn(width, username) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(base + '/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', accounts[username]);
  await page.click('button[type=submit]');
  return page;
}

const due = base + '/reports?plan=lai-chau-2022&period=2022-H1';

test('the lead agency follows who sent the report due, and an agency sends its own', async () => {
  const lead = await signIn(1366, 'dieuphoi.lc');
  await lead.goto(due);
  const main = await lead.textContent('main');
  assert.ok(main.includes('Chế độ báo cáo và hạn gửi'), 'the duty is shown');
  assert.ok(main.includes('19/06/2022') && main.includes('19/12/2022'), 'each report with its due day');
  assert.ok(main.includes('Sở Y tế tỉnh Lai Châu'), 'the agencies that report are listed');
  await lead.screenshot({ path: path.join(shots, 'reports-due-1366.png'), fullPage: false });

  // The health department's officer opens its report on its tasks and sends it.
  const health = await signIn(1366, 'canbo.syt.lc');
  await health.goto(due);
  const row = health.locator('tr', { hasText: 'Sở Y tế tỉnh Lai Châu' });
  await row.locator('button', { hasText: 'Lập báo cáo' }).click();
  await health.waitForURL(/\/reports\/\d+$/);
  assert.ok((await health.textContent('h1')).includes('Sở Y tế tỉnh Lai Châu'), 'the report is the agency\'s');
  await health.fill('textarea[name=results]', 'Tổ chức khám sức khỏe định kỳ cho 120 người lao động tại các cơ sở.');
  await health.check('input[name=confirm]');
  await health.click('button[value=submit]');
  await health.waitForURL(/\/reports\/\d+$/);

  await lead.goto(due);
  const line = await lead.textContent('tr:has-text("Sở Y tế tỉnh Lai Châu")');
  assert.match(line, /gửi trễ \d+ ngày/, line);

  const phone = await signIn(390, 'dieuphoi.lc');
  await phone.goto(due);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 390 px (${overflow} px over)`);
  await phone.screenshot({ path: path.join(shots, 'reports-due-390.png'), fullPage: false });
});
