// Accessibility: every kind of page of pcmd, checked with axe-core in headless
// Chromium, on a desktop screen (1366×768) and on a phone (390×844), each as
// a role that may see it. The people who use pcmd are officers in districts
// and communes, many on phones and some with low vision or a screen reader;
// a government service owes them WCAG 2.1 AA. axe runs the WCAG 2.0/2.1 A
// and AA rules and its best practices: a violation of impact serious or
// critical fails the test (page, rule, impact, first targets); moderate and
// minor ones are printed and kept in target/e2e/axe-summary.json, with the
// counts by impact and the rule ids of each page.
// axe is the npm package's axe.min.js, injected into each page (the browser
// context bypasses pcmd's CSP for that, which forbids inline scripts).
// Run by scripts/e2e with the demo data, like the other files here.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { base, accounts, shots, launch, totp } = require('./browser');

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const totpSecret = process.env.PCMD_E2E_TOTP_SECRET || '';
const viewports = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
];
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const failing = new Set(['serious', 'critical']);
const impacts = ['critical', 'serious', 'moderate', 'minor'];
// Accounts that sign in with a second factor in the demo data.
const withTotp = new Set(['ctxh.tpst']);

let browser;
const summary = {};

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  fs.mkdirSync(shots, { recursive: true });
  fs.writeFileSync(path.join(shots, 'axe-summary.json'), JSON.stringify({ axe: require('axe-core/package.json').version, tags, pages: summary }, null, 2) + '\n');
  const minor = Object.entries(summary).filter(([, s]) => s.counts.moderate + s.counts.minor > 0);
  if (minor.length > 0) {
    console.log('axe: moderate and minor violations (not failing):');
    for (const [name, s] of minor) {
      const rules = Object.entries(s.rules).filter(([, r]) => !failing.has(r.impact)).map(([id, r]) => `${id} (${r.impact}, ${r.nodes})`);
      console.log(`  ${name}: ${rules.join(', ')}`);
    }
  }
});

async function tryLogin(page, username, code) {
  await page.goto(base + '/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', accounts[username]);
  if (code !== undefined) await page.fill('input[name=code]', code);
  await page.click('button[type=submit]');
  await page.waitForLoadState();
  return page.url() === base + '/';
}

// Signs in; a TOTP code works once and only a later one after it, and
// records.test.js may sign the caseworker in at the same time: first the
// previous step's code (still accepted, and leaving the current one to the
// other file), then, if refused, the current code of the next step.
async function signIn(page, username) {
  if (!withTotp.has(username)) {
    assert.ok(await tryLogin(page, username), `${username} signs in`);
    return;
  }
  assert.ok(totpSecret, 'scripts/e2e passes the demo caseworker\'s TOTP secret');
  if (await tryLogin(page, username, totp(totpSecret, Date.now() - 30000))) return;
  await new Promise((r) => setTimeout(r, 30000 - (Date.now() % 30000) + 500));
  assert.ok(await tryLogin(page, username, totp(totpSecret)), `${username} signs in with a TOTP code`);
}

async function newPage() {
  // pcmd's CSP forbids inline scripts, which is how axe gets into the page.
  const context = await browser.newContext({ bypassCSP: true, viewport: viewports[0] });
  return context.newPage();
}

// "name at 1366x768": the page's key in the summary.
function label(name, vp) {
  return `${name} @ ${vp.width}x${vp.height}`;
}

async function runAxe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate((values) => window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] }), tags);
}

function shorten(html, n = 160) {
  const s = html.replace(/\s+/g, ' ');
  return s.length > n ? s.slice(0, n) + '…' : s;
}

// Visits the page at each viewport (visit navigates, and may fill and send a
// form), runs axe, keeps the summary, and fails on serious or critical findings.
async function check(t, page, name, visit) {
  for (const vp of viewports) {
    const key = label(name, vp);
    await t.test(key, async (st) => {
      await page.setViewportSize(vp);
      await visit(page);
      const { violations } = await runAxe(page);
      const counts = Object.fromEntries(impacts.map((i) => [i, 0]));
      const rules = {};
      for (const v of violations) {
        counts[v.impact] = (counts[v.impact] || 0) + 1;
        rules[v.id] = { impact: v.impact, nodes: v.nodes.length };
      }
      summary[key] = { url: page.url().replace(base, ''), counts, rules };
      const soft = violations.filter((v) => !failing.has(v.impact));
      if (soft.length > 0) st.diagnostic(`${key}: ${soft.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(', ')}`);
      const bad = violations.filter((v) => failing.has(v.impact));
      const lines = bad.map((v) => `  ${key} [${page.url().replace(base, '')}] ${v.id} (${v.impact}): `
        + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')
        + (v.nodes.length > 3 ? ` … (${v.nodes.length} in all)` : '')
        + `\n    e.g. ${shorten(v.nodes[0].html)}`);
      assert.ok(bad.length === 0, `serious or critical accessibility violations:\n${lines.join('\n')}`);
    });
  }
}

// The href of the first element matching selector on the current page.
async function href(page, selector) {
  const h = await page.locator(selector).first().getAttribute('href');
  assert.ok(h, `a link ${selector} on ${page.url()}`);
  return h;
}

test('the public tip portal: its form, a form sent with faults, and the lookup', async (t) => {
  const page = await newPage();
  await check(t, page, 'portal form', async (p) => {
    await p.goto(base + '/to-giac?tinh=92');
  });
  await check(t, page, 'portal form with faults', async (p) => {
    await p.goto(base + '/to-giac?tinh=92');
    // Nothing chosen and a day that is not one: refused field by field (nothing is sent).
    await p.fill('#happened_on', '31/02/2026');
    await p.fill('#content', 'kiểm tra trợ năng');
    await p.evaluate(() => document.querySelectorAll('[required]').forEach((e) => e.removeAttribute('required')));
    await p.click('button.send');
    await p.waitForLoadState();
    assert.ok(await p.isVisible('#e-happened_on'));
  });
  await check(t, page, 'portal lookup', async (p) => {
    await p.goto(base + '/to-giac/tra-cuu');
  });
  await page.context().close();
});

test('the sign-in page, alone and with an error', async (t) => {
  const page = await newPage();
  await check(t, page, 'login', async (p) => {
    await p.goto(base + '/login');
  });
  await check(t, page, 'login with error', async (p) => {
    await p.goto(base + '/login');
    // A name no account has: the demo accounts keep their failure counts.
    await p.fill('input[name=username]', 'khong.co.tai.khoan');
    await p.fill('input[name=password]', 'không đúng');
    await p.click('button[type=submit]');
    await p.waitForLoadState();
    assert.ok(await p.isVisible('p.error'), 'the error is shown');
  });
  await page.context().close();
});

test('the pages a coordinator sees', async (t) => {
  const page = await newPage();
  await signIn(page, 'dieuphoi');
  // Find the plan of the synthetic data, a commune, an explanation, a record.
  await page.goto(base + '/');
  const plan = await href(page, 'main table a:has-text("117/NQ-HĐND")');
  await page.goto(base + plan + '?period=2024');
  const explain = await href(page, 'table.targets td.num a');
  let commune = (await page.locator('figure.map a').count()) > 0 ? await href(page, 'figure.map a') : null;
  if (!commune) {
    await page.goto(base + await href(page, 'ul.children a'));
    commune = await href(page, 'ul.children a');
  }
  assert.match(commune, /unit=\d{5}\b/, 'a commune');
  await page.goto(base + '/records/activity');
  const record = await href(page, 'table.records tbody a');
  // The demo has no reports: the coordinator opens one for the first unit offered.
  await page.goto(base + '/reports?period=2024-H1');
  let report = (await page.locator('table.reports a[href^="/reports/"]').count()) > 0 ? await href(page, 'table.reports a[href^="/reports/"]') : null;
  if (!report) {
    await page.locator('form[action="/reports"] button[type=submit]').click();
    await page.waitForURL(/\/reports\/\d+$/);
    report = page.url().replace(base, '');
  }

  const pages = [
    ['home', '/'],
    ['plan 2024', plan + '?period=2024'],
    ['plan 2025', plan + '?period=2025'],
    ['commune', commune],
    ['explain', explain],
    ['tasks', plan + '/tasks'],
    ['budget', plan + '/budget'],
    ['records index', '/records'],
    ['record list', '/records/activity'],
    ['record detail', record],
    ['reports', '/reports?period=2024-H1'],
    ['report', report],
    ['settings', '/settings/documents'],
    ['account', '/account'],
    ['users', '/admin/users'],
    ['agencies', '/admin/agencies'],
    ['two-factor', '/account/totp'],
    ['plan from its text', '/plans/new'],
  ];
  for (const [name, url] of pages) {
    await check(t, page, name, async (p) => {
      const res = await p.goto(base + url);
      assert.strictEqual(res.status(), 200, `${url} answers 200`);
    });
  }
  await check(t, page, '404 page', async (p) => {
    const res = await p.goto(base + '/khong-co-trang-nay');
    assert.strictEqual(res.status(), 404);
  });
  await check(t, page, 'error page', async (p) => {
    const res = await p.goto(base + plan + '?period=abc');
    assert.ok(res.status() >= 400, `${plan}?period=abc is refused (${res.status()})`);
  });
  await page.context().close();
});

test('a new record form, empty and sent with errors, as an officer', async (t) => {
  const page = await newPage();
  await signIn(page, 'canbo.tpst');
  await check(t, page, 'new record', async (p) => {
    await p.goto(base + '/records/activity/new');
  });
  await check(t, page, 'record form with errors', async (p) => {
    await p.goto(base + '/records/activity/new');
    await p.click('form.record button[type=submit]');
    await p.waitForLoadState();
    assert.ok(await p.isVisible('form.record .error'), 'the errors are shown next to the fields');
  });
  await page.context().close();
});

test('the audit log, as the administrator', async (t) => {
  const page = await newPage();
  await signIn(page, 'quantri');
  await check(t, page, 'audit', async (p) => {
    const res = await p.goto(base + '/audit');
    assert.strictEqual(res.status(), 200);
  });
  await page.context().close();
});

test('a support case and its rights panel, as the caseworker', async (t) => {
  const page = await newPage();
  await signIn(page, 'ctxh.tpst');
  await page.goto(base + '/records/support_case');
  const one = await href(page, 'table.records tbody a');
  await check(t, page, 'support case list', async (p) => {
    await p.goto(base + '/records/support_case');
  });
  await check(t, page, 'support case', async (p) => {
    const res = await p.goto(base + one);
    assert.strictEqual(res.status(), 200);
    assert.ok(await p.isVisible('#rights'), 'the rights panel is shown');
  });
  await page.context().close();
});
