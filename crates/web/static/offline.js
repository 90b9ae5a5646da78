// pcmd: entry without a connection (nhập khi mất mạng). On every page: registers
// the service worker (sw.js keeps the app shell and this page), shows how many
// entries wait on this device ("3 mục chờ gửi") and sends them when the
// connection returns. On /offline: the forms of the kinds an officer enters in
// the field, built from what the server describes (/api/v1/session), and the
// queue. Entries are kept in localStorage, so they survive closing the browser;
// each is sent once through the JSON API with its own Idempotency-Key, so a
// send repeated after a lost answer makes no second record. A refused entry
// stays with the server's reason until it is fixed or removed.
(function () {
  'use strict';
  var QUEUE = 'pcmd.queue.v1';
  var SESSION = 'pcmd.session.v1';

  function load(key, fallback) {
    try {
      var v = window.localStorage.getItem(key);
      return v ? JSON.parse(v) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function save(key, value) {
    window.localStorage.setItem(key, JSON.stringify(value));
  }
  function queue() {
    return load(QUEUE, []);
  }
  function setQueue(q) {
    save(QUEUE, q);
    badge();
  }
  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function words(n) {
    return n + ' mục chờ gửi';
  }
  function capital(text) {
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  // ---- on every page ----
  function badge() {
    var n = queue().length;
    var b = document.getElementById('queue-badge');
    if (b) {
      b.hidden = n === 0;
      b.textContent = words(n);
    }
    var c = document.getElementById('queue-count');
    if (c) c.textContent = words(n);
  }

  // What the server said, in words: its message and each fault by field.
  function reasonOf(body, status) {
    if (body && body.code === 'idempotency_key_reused') {
      return 'máy chủ đã nhận mục này trước khi nó được sửa: xem danh sách hồ sơ, sửa bản đã lưu ở đó rồi xóa mục này.';
    }
    if (!body || !body.message) return 'Máy chủ từ chối (mã ' + status + ').';
    var text = body.message.vi;
    (body.faults || []).forEach(function (f) {
      text += ' — ' + (f.field ? f.field + ': ' : '') + f.vi;
    });
    return text;
  }

  var sending = false;
  function send() {
    if (sending || !navigator.onLine) return Promise.resolve();
    var waiting = queue().filter(function (e) { return !e.reason; });
    if (waiting.length === 0) return Promise.resolve();
    sending = true;
    note('Đang gửi…');
    return fetch('/api/v1/session', { credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error('login');
        return r.json();
      })
      .then(function (session) {
        save(SESSION, session);
        // Only this account's entries go with its session; another's wait for its owner.
        waiting = waiting.filter(function (e) { return !e.user || e.user === session.username; });
        return waiting.reduce(function (p, entry) {
          return p.then(function (go) {
            if (!go) return false;
            return fetch('/api/v1/records/' + entry.kind, {
              method: 'POST',
              credentials: 'same-origin',
              headers: { 'Content-Type': 'application/json', 'Idempotency-Key': entry.key, 'X-CSRF-Token': session.csrf },
              body: JSON.stringify(entry.body)
            }).then(function (r) {
              if (r.status === 201) {
                setQueue(queue().filter(function (e) { return e.key !== entry.key; }));
                return true;
              }
              if (r.status >= 400 && r.status < 500 && [401, 408, 429].indexOf(r.status) < 0) {
                return r.json().catch(function () { return null; }).then(function (body) {
                  setQueue(queue().map(function (e) {
                    if (e.key === entry.key) e.reason = reasonOf(body, r.status);
                    return e;
                  }));
                  return true;
                });
              }
              return false; // the server is away or busy: try again later
            }, function () { return false; });
          });
        }, Promise.resolve(true));
      })
      .then(function () { note(''); }, function (e) {
        note(e && e.message === 'login' ? 'Hãy đăng nhập để gửi các mục đang chờ.' : 'Chưa gửi được: sẽ thử lại khi có mạng.');
      })
      .then(function () {
        sending = false;
        badge();
        render();
      });
  }

  function note(text) {
    var n = document.getElementById('net');
    if (n) n.textContent = (navigator.onLine ? 'Đang có mạng. ' : 'Đang mất mạng: hồ sơ được giữ trên máy này. ') + text;
  }

  // ---- the offline page ----
  var editing = null;

  function session() {
    return load(SESSION, null);
  }
  function kindForm(kind) {
    var s = session();
    return s && s.kinds.filter(function (k) { return k.kind === kind; })[0];
  }

  // dd/mm/yyyy (or 8 digits, or YYYY-MM-DD) as YYYY-MM-DD; null if it is no day.
  function isoDay(text) {
    var t = text.trim(), m;
    if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) m = [m[0], m[3], m[2], m[1]];
    else if (!(m = /^(\d{1,2})[\/.-](\d{1,2})[\/.-](\d{4})$/.exec(t)) && !(m = /^(\d{2})(\d{2})(\d{4})$/.exec(t))) return null;
    var d = +m[1], mo = +m[2], y = +m[3];
    var date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return y + '-' + ('0' + mo).slice(-2) + '-' + ('0' + d).slice(-2);
  }
  function vnDay(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? m[3] + '/' + m[2] + '/' + m[1] : iso || '';
  }

  function drawFields(kind, values) {
    var box = document.getElementById('fields');
    box.textContent = '';
    var form = kindForm(kind);
    if (!form) return;
    var s = session();
    form.fields.forEach(function (f) {
      var id = 'f-' + f.key;
      var wrap = el('p', { class: 'field' });
      var label = el('label', { for: id }, f.label_vi);
      if (f.required) label.appendChild(el('span', { class: 'req', 'aria-hidden': 'true' }, ' *'));
      wrap.appendChild(label);
      wrap.appendChild(el('br'));
      var input;
      var v = values && values[f.key];
      if (f.input === 'choice') {
        input = el('select', { id: id, name: f.key });
        input.appendChild(el('option', { value: '' }, '—'));
        f.choices.forEach(function (c) {
          var o = el('option', { value: c[0] }, c[1]);
          if (v === c[0]) o.selected = true;
          input.appendChild(o);
        });
      } else if (f.input === 'flag') {
        input = el('input', { id: id, name: f.key, type: 'checkbox' });
        input.checked = v === true;
      } else if (f.input === 'long') {
        input = el('textarea', { id: id, name: f.key, rows: '3' });
        input.value = v || '';
      } else {
        input = el('input', { id: id, name: f.key, type: 'text' });
        if (f.input === 'date') {
          input.setAttribute('placeholder', 'dd/mm/yyyy');
          input.setAttribute('inputmode', 'numeric');
          input.value = vnDay(v);
        } else if (f.input === 'number') {
          input.setAttribute('inputmode', 'numeric');
          input.value = v === undefined || v === null ? '' : String(v);
        } else {
          input.value = v || '';
        }
        if (f.key === 'unit_code' && s && s.units) {
          input.setAttribute('list', 'units-list');
          input.setAttribute('autocomplete', 'off');
        }
      }
      if (f.required) input.setAttribute('aria-required', 'true');
      wrap.appendChild(input);
      wrap.appendChild(el('small', { class: 'error', id: id + '-error', role: 'alert' }));
      box.appendChild(wrap);
    });
    if (s && s.units && !document.getElementById('units-list')) {
      var list = el('datalist', { id: 'units-list' });
      s.units.forEach(function (u) { list.appendChild(el('option', { value: u[0] }, u[1])); });
      document.body.appendChild(list);
    }
  }

  // The form's values as the API takes them, or the faults by field.
  function readForm(kind) {
    var form = kindForm(kind), body = {}, faults = 0;
    form.fields.forEach(function (f) {
      var input = document.getElementById('f-' + f.key);
      var err = document.getElementById('f-' + f.key + '-error');
      err.textContent = '';
      var raw = f.input === 'flag' ? input.checked : input.value.trim();
      var say = function (t) { err.textContent = t; faults += 1; };
      if (f.input === 'flag') {
        body[f.key] = raw;
        return;
      }
      if (raw === '') {
        if (f.required) say('Không được để trống.');
        return;
      }
      if (f.input === 'date') {
        var d = isoDay(raw);
        if (!d) return say('Ngày không hợp lệ: viết ngày/tháng/năm, ví dụ 28/12/2025.');
        body[f.key] = d;
      } else if (f.input === 'number') {
        var n = raw.replace(/\./g, '');
        if (!/^\d+$/.test(n)) return say('Phải là số nguyên.');
        body[f.key] = parseInt(n, 10);
      } else {
        body[f.key] = raw;
      }
    });
    return faults ? null : body;
  }

  function summary(entry) {
    var b = entry.body;
    var when = b.held_on || b.inspected_on || b.published_on || b.started_on || b.opened_on || '';
    var what = b.topic || b.title || b.name || (b.establishment_id ? 'cơ sở #' + b.establishment_id : '');
    var form = kindForm(entry.kind);
    var s = session();
    var unit = b.unit_code || '';
    var named = s && s.units ? s.units.filter(function (u) { return u[0] === unit; })[0] : null;
    if (named) unit += ' (' + named[1] + ')';
    return capital(form ? form.label_vi : entry.kind) + ' · ' + vnDay(when) + ' · ' + unit + ' · ' + what;
  }

  function render() {
    var list = document.getElementById('queue-list');
    if (!list) return;
    list.textContent = '';
    queue().forEach(function (entry) {
      var li = el('li', { class: entry.reason ? 'refused' : 'waiting' });
      li.appendChild(el('span', {}, summary(entry)));
      li.appendChild(el('br'));
      var s = session();
      var other = s && entry.user && entry.user !== s.username;
      var state = entry.reason ? 'Bị từ chối: ' + entry.reason : other ? 'Chờ gửi: của tài khoản ' + entry.user + ', gửi khi tài khoản đó đăng nhập' : 'Chờ gửi';
      li.appendChild(el('small', { class: entry.reason ? 'error' : 'muted' }, state));
      // Another account's entries are shown, not changed: only their owner edits or removes them.
      if (!other && s) {
        var fix = el('button', { type: 'button', class: 'link' }, 'Sửa');
        fix.addEventListener('click', function () { edit(entry.key); });
        var drop = el('button', { type: 'button', class: 'link' }, 'Xóa');
        drop.addEventListener('click', function () {
          setQueue(queue().filter(function (e) { return e.key !== entry.key; }));
          render();
        });
        li.appendChild(el('span', {}, ' '));
        li.appendChild(fix);
        li.appendChild(el('span', {}, ' '));
        li.appendChild(drop);
      }
      list.appendChild(li);
    });
    badge();
  }

  function edit(key) {
    var entry = queue().filter(function (e) { return e.key === key; })[0];
    if (!entry) return;
    editing = key;
    document.getElementById('kind').value = entry.kind;
    drawFields(entry.kind, entry.body);
    document.getElementById('cancel-edit').hidden = false;
    document.getElementById('entry-title').textContent = 'Sửa mục chờ gửi';
    document.getElementById('entry').scrollIntoView();
  }

  function stopEditing() {
    editing = null;
    document.getElementById('cancel-edit').hidden = true;
    document.getElementById('entry-title').textContent = 'Nhập mới';
  }

  function setupPage() {
    var s = session();
    var form = document.getElementById('entry');
    if (!s || !s.kinds.length) {
      document.getElementById('no-forms').hidden = false;
      form.hidden = true;
      return;
    }
    document.getElementById('no-forms').hidden = true;
    form.hidden = false;
    var kind = document.getElementById('kind');
    var chosen = kind.value;
    kind.textContent = '';
    s.kinds.forEach(function (k) { kind.appendChild(el('option', { value: k.kind }, capital(k.label_vi))); });
    if (chosen && kindForm(chosen)) kind.value = chosen;
    drawFields(kind.value, null);
  }

  function initPage() {
    var form = document.getElementById('entry');
    if (!form) return;
    setupPage();
    document.getElementById('kind').addEventListener('change', function (e) { drawFields(e.target.value, null); });
    document.getElementById('cancel-edit').addEventListener('click', function () {
      stopEditing();
      drawFields(document.getElementById('kind').value, null);
    });
    document.getElementById('send-now').addEventListener('click', function () { send(); });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var kind = document.getElementById('kind').value;
      var body = readForm(kind);
      var error = document.getElementById('entry-error');
      if (!body) {
        error.textContent = 'Còn lỗi ở các trường đánh dấu: sửa rồi lưu lại.';
        return;
      }
      error.textContent = '';
      var q = queue();
      if (editing) {
        q = q.map(function (x) {
          if (x.key === editing) {
            x.kind = kind;
            x.body = body;
            x.reason = null;
          }
          return x;
        });
        stopEditing();
      } else {
        q.push({ key: uuid(), kind: kind, body: body, user: session().username, saved_at: new Date().toISOString(), reason: null });
      }
      setQueue(q);
      drawFields(kind, null);
      render();
      send();
    });
    render();
    note('');
    // With a connection: the forms and unit lists as the server has them now, kept for later.
    if (navigator.onLine) {
      fetch('/api/v1/session', { credentials: 'same-origin' })
        .then(function (r) {
          // Signed out: the forms of the last account are not offered to whoever holds the device.
          if (r.status === 401) window.localStorage.removeItem(SESSION);
          return r.ok ? r.json() : null;
        })
        .then(function (fresh) {
          if (fresh) save(SESSION, fresh);
          if (!editing) setupPage();
          render();
        })
        .catch(function () {});
    }
  }

  // ---- an ordinary record form (/records/…) ----
  // Sent without a connection, the browser would leave the page for its own
  // error page and what was typed would be lost. So the form stays, says why,
  // and keeps a copy of what was typed on this device until a save goes through
  // (restored if the page is opened again, say after the browser's error page).
  function guardRecordForm() {
    var form = document.querySelector('form.record');
    if (!form) {
      // A page that is not the form: a form sent with a connection has been saved (or answered
      // with its faults, which comes back as the form): its copy goes.
      try {
        Object.keys(window.sessionStorage).forEach(function (k) {
          if (k.indexOf('pcmd.draft.') === 0 && (JSON.parse(window.sessionStorage.getItem(k) || '{}') || {}).__sent) window.sessionStorage.removeItem(k);
        });
      } catch (e) { /* no storage */ }
      return;
    }
    var key = 'pcmd.draft.' + location.pathname;
    // A tip or a support case holds a person's data, which must not rest unsealed on a device:
    // no copy of those forms is kept, and no field marked personal anywhere.
    var personal = /^\/records\/(tip|support_case)(\/|$)/.test(location.pathname);
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (f) {
        return f.name && f.name !== 'csrf' && f.type !== 'file' && !(f.closest && f.closest('.personal'));
      });
    };
    var keep = function (sent) {
      if (personal) return;
      var d = { __sent: sent === true };
      fields().forEach(function (f) { d[f.name] = f.type === 'checkbox' || f.type === 'radio' ? (f.checked ? f.value : d[f.name]) : f.value; });
      try { window.sessionStorage.setItem(key, JSON.stringify(d)); } catch (e) { /* storage full: the page keeps it */ }
    };
    var saved = null;
    try { saved = personal ? null : JSON.parse(window.sessionStorage.getItem(key) || 'null'); } catch (e) { saved = null; }
    // A page that comes back with errors (the server's answer) holds what was sent: the copy is
    // used only on a fresh form, whose fields are all empty.
    var blank = fields().every(function (f) { return f.type === 'hidden' || f.type === 'checkbox' || f.type === 'radio' || !f.value || f.tagName === 'SELECT'; });
    if (saved && blank && location.pathname.slice(-4) === '/new') {
      fields().forEach(function (f) {
        if (!(f.name in saved) || f.type === 'hidden' || f.name === '__sent') return;
        if (f.type === 'checkbox' || f.type === 'radio') f.checked = saved[f.name] === f.value;
        else f.value = saved[f.name];
      });
      var restored = el('p', { 'class': 'notice', role: 'status' }, 'Đã khôi phục nội dung nhập lần trước chưa lưu được trên máy này. (What was typed last time and not saved is back.)');
      form.insertBefore(restored, form.firstChild);
    }
    var message = el('p', { 'class': 'notice', role: 'alert', id: 'offline-form-note' });
    message.hidden = true;
    form.insertBefore(message, form.firstChild);
    form.addEventListener('input', function () { keep(false); });
    form.addEventListener('submit', function (e) {
      keep(navigator.onLine);
      if (navigator.onLine) return;
      e.preventDefault();
      message.hidden = false;
      message.textContent = 'Đang mất mạng: hồ sơ chưa được gửi và vẫn còn trên trang này. Hãy bấm Lưu khi có mạng, hoặc nhập ở trang "Nhập khi mất mạng" (/offline) để gửi sau. (No connection: nothing was sent; the entry is still here.)';
      message.scrollIntoView();
    });
  }

  function start() {
    guardRecordForm();
    // The sign-in page: whoever signs in next is not the last account; its entries wait for it.
    if (document.querySelector('form[action="/login"]')) {
      window.localStorage.removeItem(SESSION);
      return;
    }
    badge();
    initPage();
    // Any page opened with a connection keeps the forms for later, once.
    if (!session() && navigator.onLine && !document.getElementById('entry')) {
      fetch('/api/v1/session', { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (fresh) { if (fresh) save(SESSION, fresh); })
        .catch(function () {});
    }
    window.addEventListener('online', function () { note(''); send(); });
    window.addEventListener('offline', function () { note(''); });
    window.addEventListener('storage', function () { badge(); render(); });
    send();
  }

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(function () {});
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
