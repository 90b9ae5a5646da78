// End-to-end: an officer in a commune with a weak connection. With the
// connection she opens "Nhập khi mất mạng" once; then the line drops
// (context.setOffline), she enters three activities and a fourth in Phường 10,
// reloads the page (served by the service worker) and finds the four still
// waiting. Meanwhile, online elsewhere, Phường 10's report for 2024-H2 is
// accepted, which locks its records of that half-year. The connection returns:
// exactly three records arrive, once each, and the fourth stays in the queue
// with the server's reason. The queue is read on a 390 px phone.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { base, accounts, shots, launch } = require('./browser');

let browser;
before(async () => { browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

async function signIn(ctx, user) {
  const page = await ctx.newPage();
  await page.goto(base + '/login');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', accounts[user]);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

// A JSON API call with the page's session (the CSRF token from /api/v1/session).
async function api(page, method, url, body) {
  const session = await (await page.request.get(base + '/api/v1/session')).json();
  const r = await page.request.fetch(base + url, {
    method,
    headers: { 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status(), body: await r.json() };
}

async function enter(page, day, unit, topic) {
  await page.selectOption('#kind', 'activity');
  await page.fill('#f-held_on', day);
  await page.fill('#f-unit_code', unit);
  await page.selectOption('#f-form', 'meeting');
  await page.fill('#f-topic', topic);
  await page.fill('#f-reached_community', '25');
  await page.click('#entry button[type=submit]');
}

test('entries made offline survive a reload and arrive once; a locked one stays with its reason', async () => {
  const stamp = 'Ngoại tuyến ' + Date.now();
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await signIn(ctx, 'canbo.tpst');
  await page.goto(base + '/offline');
  await page.waitForSelector('#kind option[value=activity]', { state: 'attached' });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  assert.ok(await page.evaluate(() => caches.has('pcmd-shell-v1')), 'the service worker keeps the app shell');

  await ctx.setOffline(true);
  await page.reload();
  await page.waitForSelector('#kind option[value=activity]', { state: 'attached' });
  for (let i = 1; i <= 3; i++) await enter(page, '15/03/2024', '31507', `${stamp} #${i}`);
  await enter(page, '20/08/2024', '31525', `${stamp} khóa`);
  // A fault is caught on the device, before anything is queued.
  await page.selectOption('#kind', 'activity');
  await page.fill('#f-held_on', '31/02/2024');
  await page.click('#entry button[type=submit]');
  assert.match(await page.textContent('#f-held_on-error'), /Ngày không hợp lệ/);
  assert.strictEqual(await page.textContent('#queue-count'), '4 mục chờ gửi');

  // Closing and opening the page without a connection: the entries are still there.
  await page.reload();
  await page.waitForSelector('#queue-list li');
  assert.strictEqual(await page.textContent('#queue-count'), '4 mục chờ gửi');
  assert.strictEqual(await page.locator('#queue-list li').count(), 4);
  await page.screenshot({ path: path.join(shots, 'offline-queue-390.png'), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling at 390 px (${width})`);

  // Meanwhile, with a connection elsewhere: Phường 10's 2024-H2 report is opened, sent and accepted.
  const other = await browser.newContext();
  const officer = await signIn(other, 'canbo.tpst');
  const opened = await api(officer, 'POST', '/api/v1/reports', { plan: 'soc-trang-117-2023', period: '2024-H2', unit: '31525' });
  assert.strictEqual(opened.status, 201, JSON.stringify(opened.body));
  const sent = await api(officer, 'POST', `/api/v1/reports/${opened.body.id}/submit`, { version: opened.body.version });
  assert.strictEqual(sent.status, 200, JSON.stringify(sent.body));
  const coordinatorCtx = await browser.newContext();
  const coordinator = await signIn(coordinatorCtx, 'dieuphoi');
  const accepted = await api(coordinator, 'POST', `/api/v1/reports/${opened.body.id}/accept`, { version: sent.body.version });
  assert.strictEqual(accepted.body.status, 'accepted', JSON.stringify(accepted.body));

  // The connection returns: the queue is sent; the locked entry stays with the reason.
  await ctx.setOffline(false);
  // The count drops to one as soon as the third entry arrives, before the locked one has had its
  // answer: wait for both.
  await page.waitForFunction(() => document.getElementById('queue-count').textContent === '1 mục chờ gửi'
    && /Bị từ chối/.test((document.querySelector('#queue-list li small') || {}).textContent || ''), null, { timeout: 20000 });
  const reason = await page.textContent('#queue-list li small');
  assert.match(reason, /Bị từ chối: .*khóa/, reason);
  await page.screenshot({ path: path.join(shots, 'offline-refused-390.png'), fullPage: true });

  // Exactly three records, once each, entered by the officer through the API.
  const found = await api(page, 'GET', `/api/v1/records/activity?q=${encodeURIComponent(stamp)}&per_page=50`);
  assert.strictEqual(found.status, 200);
  assert.strictEqual(found.body.total, 3, JSON.stringify(found.body.items.map((i) => i.fields.topic)));
  // Sending again (a lost answer, a second tab) makes nothing new.
  await page.click('#send-now');
  await page.waitForTimeout(500);
  assert.strictEqual((await api(page, 'GET', `/api/v1/records/activity?q=${encodeURIComponent(stamp)}`)).body.total, 3);

  // The badge on the other pages says what waits.
  await page.goto(base + '/records');
  assert.strictEqual(await page.textContent('#queue-badge'), '1 mục chờ gửi');
  await Promise.all([ctx.close(), other.close(), coordinatorCtx.close()]);
});

// Chrome DevTools' "Slow 3G" (as Puppeteer's PredefinedNetworkConditions has it):
// 2 s of latency, 500 kbit/s × 0.8 each way.
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: (500 * 1000 / 8) * 0.8, uploadThroughput: (500 * 1000 / 8) * 0.8 };

test('a form page is light and usable after one round trip on Slow 3G', async () => {
  // A first visit: no service worker yet (the worker's own fetches are not throttled by the profile).
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
  const page = await signIn(ctx, 'canbo.tpst');
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  const sizes = new Map();
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  const start = Date.now();
  await page.goto(base + '/records/activity/new', { waitUntil: 'commit' });
  await page.locator('form input[name=held_on]').waitFor({ state: 'visible' });
  const usable = Date.now() - start;
  // What the page needed before it could be used: nothing but itself (the stylesheet is inline,
  // the one script is async and builds nothing the form needs).
  const blocking = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.renderBlockingStatus === 'blocking').map((r) => r.name));
  await page.waitForLoadState('load');
  await page.waitForTimeout(2500);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const list = [...sizes.entries()].map(([id, n]) => `${new URL(urls.get(id) || 'http://x/?').pathname} ${n} B`).join(', ');
  console.log(`# form page on Slow 3G: usable after ${usable} ms; ${total} bytes on the wire (gzip) in all: ${list}`);
  assert.ok(total < 50 * 1024, `under 50 KB on first load (${total} B: ${list})`);
  assert.deepStrictEqual(blocking, [], 'no request blocks the first paint');
  await ctx.close();
});

// Found by the reach review of 07/12/2026: the ordinary form, sent without a connection, left for
// Chromium's error page and what was typed was gone. Now the form stays and says why; a copy kept on
// the device comes back when the form is opened again.
test('the ordinary record form sent offline keeps what was typed and says why', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
  const page = await signIn(ctx, 'canbo.tpst');
  await page.goto(base + '/records/activity/new');
  await page.fill('form.record [name=topic]', 'Tuyên truyền ở chợ đêm');
  await ctx.setOffline(true);
  await page.click('form.record button[type=submit]');
  const note = page.locator('#offline-form-note');
  await note.waitFor({ state: 'visible' });
  assert.match(await note.textContent(), /Đang mất mạng: hồ sơ chưa được gửi/);
  assert.strictEqual(new URL(page.url()).pathname, '/records/activity/new', 'still on the form');
  assert.strictEqual(await page.inputValue('form.record [name=topic]'), 'Tuyên truyền ở chợ đêm');
  await page.screenshot({ path: path.join(shots, 'record-form-offline-390.png'), fullPage: true });
  // The connection back, the form opened afresh: what was typed is restored, and said so.
  await ctx.setOffline(false);
  await page.goto(base + '/records/activity/new');
  assert.strictEqual(await page.inputValue('form.record [name=topic]'), 'Tuyên truyền ở chợ đêm');
  assert.ok(await page.getByText('Đã khôi phục nội dung nhập lần trước').isVisible());
  await ctx.close();
});
