// End-to-end: the public tip portal as a citizen and an investigator use it.
// A citizen with no account sends a tip with a photo from a 390 px phone, keeps
// the receipt code, looks the tip up and writes; the investigator reads it on
// the tip's page and answers; the citizen reads the answer. A wrong code learns
// nothing and, tried again and again, is refused. Afterwards the database file
// and the server's log hold neither the tip's words in clear nor the sender's
// address. Run by scripts/e2e (which passes the database file and log paths).
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { base, accounts, shots, launch } = require('./browser');

let browser;
before(async () => { browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

// Words no other record holds, to look for in the files afterwards.
const marker = `Karaoke Hoa Mai ${Date.now()} có dấu hiệu môi giới mại dâm`;
const addition = 'Tôi bổ sung: cơ sở mở cửa sau 22 giờ, khách vào cửa sau.';
const answer = 'Cảm ơn bạn, chúng tôi đang xác minh thông tin.';

async function lookUp(page, code) {
  await page.goto(base + '/to-giac/tra-cuu');
  await page.fill('#code', code);
  await page.click('form.record button[type=submit]');
}

test('a citizen sends a tip with a photo, follows it with the code, and the investigator answers', async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const response = await phone.goto(base + '/to-giac');
  assert.strictEqual(response.status(), 200, 'no account needed');
  await phone.selectOption('#tinh', '92');
  await phone.click('text=Chọn tỉnh, thành phố');
  await phone.selectOption('#category', 'denunciation');
  // Phường Phú Lợi (31510), which took in the old city's Phường 1–4: an investigator of Sóc Trăng handles it.
  await phone.selectOption('#commune', '31510');
  // A field left wrong is told beside it, what was typed kept.
  await phone.fill('#happened_on', '31/02/2026');
  await phone.fill('#content', marker);
  await phone.click('button.send');
  assert.match(await phone.textContent('#e-happened_on'), /ngày không hợp lệ/);
  assert.strictEqual(await phone.inputValue('#content'), marker);
  await phone.fill('#happened_on', '01/11/2026');
  const photo = path.join(os.tmpdir(), `pcmd-portal-${process.pid}.png`);
  fs.writeFileSync(photo, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]));
  await phone.setInputFiles('#files', photo);
  await phone.screenshot({ path: path.join(shots, 'portal-form-390.png'), fullPage: true });
  await phone.click('button.send');
  const code = (await phone.textContent('.receipt-code strong')).trim();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/, 'five groups of four');
  await phone.screenshot({ path: path.join(shots, 'portal-receipt-390.png'), fullPage: true });

  // Looked up with the code typed in lower case, with spaces.
  await lookUp(phone, code.toLowerCase().replace(/-/g, ' '));
  assert.ok(await phone.isVisible('text=đã tiếp nhận'), 'the status in words');
  // A denunciation of a crime (tố giác) is settled within 20 days of receipt (Criminal Procedure
  // Code art. 147, as amended by Law 99/2025/QH15): the day is shown, with a link to the rule.
  assert.match(await phone.textContent('main'), /Hạn giải quyết theo luật\s*\d{2}\/\d{2}\/\d{4}/);
  const rule = await phone.getAttribute('a[href^="/thoi-han#"]', 'href');
  assert.match(rule, /^\/thoi-han#btths-2015-d147-am2025$/);
  await phone.fill('#message', addition);
  await phone.click('text=Gửi tin nhắn');
  assert.ok(await phone.isVisible(`text=${addition}`));

  // The investigator finds it first in the list (the latest received) and reads the thread.
  const desk = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await desk.goto(base + '/login');
  await desk.fill('input[name=username]', 'congan');
  await desk.fill('input[name=password]', accounts.congan);
  await desk.click('button[type=submit]');
  await desk.goto(base + '/records/tip?sort=received_on&dir=desc');
  await desk.locator('table.records tbody tr').first().locator('a').first().click();
  await desk.waitForURL(/\/records\/tip\/\d+$/);
  assert.ok((await desk.textContent('main')).includes(marker), 'the tip as sent');
  assert.ok(await desk.isVisible(`text=${addition}`), 'the sender\'s message');
  assert.strictEqual(await desk.locator('#thread ~ ul a[href*="/files/"]').count(), 1, 'the photo, one link');
  await desk.fill('#message', answer);
  await desk.click('text=Gửi tin nhắn');
  await desk.waitForURL(/\/records\/tip\/\d+/);
  assert.ok(await desk.isVisible(`text=${answer}`));
  await desk.close();

  // The citizen reads the answer.
  await lookUp(phone, code);
  assert.ok(await phone.isVisible(`text=${answer}`));
  await phone.screenshot({ path: path.join(shots, 'portal-thread-390.png'), fullPage: true });

  // A wrong code learns nothing; ten wrong codes within the hour and the address is refused.
  await lookUp(phone, '0000-0000-0000-0000-0000');
  assert.ok(await phone.isVisible('text=Không có tin nào với mã này'));
  assert.ok(!(await phone.textContent('main')).includes(marker));
  for (let i = 0; i < 10; i++) await lookUp(phone, `ZZZZ-0000-0000-0000-000${i}`);
  const refused = await phone.request.post(base + '/to-giac/tra-cuu', { form: { code } });
  assert.strictEqual(refused.status(), 429, 'even the right code waits an hour after so many wrong ones');
  assert.match(await refused.text(), /nhập sai mã nhiều lần/);
  await phone.close();

  // Nothing in clear: the words of the tip and message are not in the database file nor the log,
  // and the sender's address (127.0.0.1 here) is nowhere but the log's first line (where pcmd listens).
  const db = process.env.PCMD_E2E_DB_FILE, log = process.env.PCMD_E2E_SERVER_LOG;
  assert.ok(db && log, 'scripts/e2e passes the file paths');
  const dbBytes = Buffer.concat([db, `${db}-wal`].filter(fs.existsSync).map((f) => fs.readFileSync(f)));
  const logText = fs.readFileSync(log, 'utf8');
  for (const secret of [marker, addition, answer]) {
    assert.ok(!dbBytes.includes(Buffer.from(secret)), `not in the database in clear: ${secret}`);
    assert.ok(!logText.includes(secret), `not in the log: ${secret}`);
  }
  assert.ok(!dbBytes.includes(Buffer.from('127.0.0.1')), 'no address in the database');
  const withAddress = logText.split('\n').filter((l) => l.includes('127.0.0.1') && !l.startsWith('pcmd: http://127.0.0.1:'));
  assert.deepStrictEqual(withAddress, [], 'no address in the log');
  fs.unlinkSync(photo);
});

test('the legal time limits are public, each with its law and source', async () => {
  for (const [width, height, name] of [[1366, 768, 'rules-1366.png'], [390, 844, 'rules-390.png']]) {
    const page = await browser.newPage({ viewport: { width, height } });
    const response = await page.goto(base + '/thoi-han');
    assert.strictEqual(response.status(), 200, 'no account needed');
    const text = await page.textContent('main');
    for (const law of ['Bộ luật Tố tụng hình sự 2015', 'Luật Tố cáo 2018', 'Luật Khiếu nại 2011', 'Luật Xử lý vi phạm hành chính']) {
      assert.ok(text.includes(law), `cites ${law}`);
    }
    // Each rule links to where its text was read.
    assert.ok(await page.locator('article.rule a[href^="http"]').count() >= 10);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${width} px (${overflow} px over)`);
    await page.screenshot({ path: path.join(shots, name), fullPage: true });
    await page.close();
  }
});
