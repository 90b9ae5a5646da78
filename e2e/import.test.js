// End-to-end: a commune officer's list goes in through the browser. The
// officer downloads the template from the list, uploads a file with two bad
// rows, sees each fault beside its cell (nothing written), fixes the file,
// sees the rows that would be written, confirms, and the list says how many
// went in. The preview is read on a 390 px phone too.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { base, accounts, shots, launch } = require('./browser');

let browser;
before(async () => { browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

const head = '\ufeffNgày đăng (dd/mm/yyyy) *,Mã tỉnh hoặc huyện của cơ quan báo chí *,Cơ quan báo chí *,Cấp *,Loại hình *,Tiêu đề *\n' +
  'published_on,unit_code,outlet,outlet_level,medium,title\n';
// Line 4: 30/02 is no day; line 5: "xã" is no outlet level.
const bad = head +
  '05/03/2024,941,Đài Truyền thanh thành phố,district,radio,Phòng chống mại dâm trong khu nhà trọ\n' +
  '30/02/2024,941,Đài Truyền thanh thành phố,district,radio,Ngày sai\n' +
  '12/03/2024,941,Đài Truyền thanh thành phố,xã,radio,Cấp sai\n';
const good = head +
  '05/03/2024,941,Đài Truyền thanh thành phố,district,radio,Phòng chống mại dâm trong khu nhà trọ\n' +
  '28/02/2024,941,Đài Truyền thanh thành phố,district,radio,Tuyên truyền tháng 2\n' +
  '12/03/2024,941,Đài Truyền thanh thành phố,district,radio,Tuyên truyền tháng 3\n';

async function signIn(width) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(base + '/login');
  await page.fill('input[name=username]', 'canbo.tpst');
  await page.fill('input[name=password]', accounts['canbo.tpst']);
  await page.click('button[type=submit]');
  return page;
}

async function upload(page, name, text) {
  await page.setInputFiles('input[name=file]', { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await page.click('text=Kiểm tra tệp');
  await page.waitForSelector('table.preview');
}

test('an officer imports a file after seeing its faults beside their cells', async () => {
  const page = await signIn(1366);
  await page.goto(base + '/records/publication');
  await page.click('text=Nhập từ tệp Excel/CSV');
  const template = await page.request.get(base + '/records/publication/template/xlsx');
  assert.strictEqual(template.status(), 200, 'the template downloads');
  await upload(page, 'tin-bai.csv', bad);
  assert.strictEqual(await page.locator('td.fault').count(), 2, 'two faults, each on its cell');
  assert.ok((await page.textContent('main')).includes('Số lỗi: 2'));
  assert.strictEqual(await page.locator('text=Xác nhận nhập').count(), 0, 'no confirmation while faults remain');

  const phone = await signIn(390);
  await phone.goto(base + '/records/publication/import');
  await upload(phone, 'tin-bai.csv', bad);
  await phone.screenshot({ path: path.join(shots, 'import-preview-390.png'), fullPage: true });

  await upload(page, 'tin-bai.csv', good);
  assert.strictEqual(await page.locator('td.fault').count(), 0);
  await page.screenshot({ path: path.join(shots, 'import-preview-1366.png'), fullPage: true });
  await page.click('text=Xác nhận nhập');
  await page.waitForURL(/\/records\/publication\?imported=3$/);
  assert.ok((await page.textContent('main')).includes('Đã nhập từ tệp số dòng: 3'));
});
