/* The judge's marking page: one contestant at a time, touch-first, works offline.
 *
 * Why an outbox: every mark is written to localStorage with its idempotency key before it is
 * sent, and removed only when the server's durable receipt arrives. A reload, a browser
 * restart or a dead Wi-Fi loses nothing, and a resend can never double a mark (the server
 * answers a known key with the original receipt). A sign-off made offline waits in the same
 * outbox, behind the marks it signs; if one of those marks is refused, the queued sign-off is
 * dropped (the judge checks and signs again) rather than locking a sheet the judge did not see.
 */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('jdg-config').textContent);
  var T = cfg.t;
  var CACHE = 'jdg-v1';
  var PREFIX = 'jdg:' + cfg.slug + ':' + cfg.judge + ':';

  function fmt(s, p) {
    return String(s).replace(/\{(\w+)\}/g, function (m, k) { return p && k in p ? p[k] : m; });
  }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  var store = {
    get: function (k, d) {
      try { var v = localStorage.getItem(PREFIX + k); return v === null ? d : JSON.parse(v); } catch (e) { return d; }
    },
    set: function (k, v) { localStorage.setItem(PREFIX + k, JSON.stringify(v)); }
  };
  function randomId() {
    var a = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  var clientId = localStorage.getItem('jdg:client');
  if (!clientId) { clientId = 'tab-' + randomId(); localStorage.setItem('jdg:client', clientId); }

  var sheet = store.get('sheet', null);
  var outbox = store.get('outbox', []);
  var current = store.get('current', null);
  var draft = {};
  var mode = 'form';
  var online = navigator.onLine;
  var expired = false;
  var flushing = false;

  // ------------------------------------------------------------------ exact decimals (ten-thousandths)
  // the server's rule (scoring/rules/numbers.py): plain ASCII digits, at most 12 whole digits and
  // 4 places (trailing zeros aside), no exponent, no "+", no ".5" or "3.", no "-0"
  function units(s) {
    s = String(s).trim();
    if (s.length > 46 || !/^-?[0-9]+(\.[0-9]+)?$/.test(s)) return null;
    var neg = s.charAt(0) === '-';
    if (neg) s = s.slice(1);
    var parts = s.split('.');
    var frac = (parts[1] || '').replace(/0+$/, '');
    if (frac.length > 4 || parts[0].replace(/^0+/, '').length > 12) return null;
    var v = BigInt(parts[0]) * 10000n + BigInt((frac + '0000').slice(0, 4));
    if (neg && v === 0n) return null;
    return neg ? -v : v;
  }
  function problem(a, raw) {
    if (raw === '' || raw == null) return null;
    var v = units(raw);
    if (v === null) return T.notNumber;
    if (a.min != null && v < units(a.min)) return fmt(T.below, { v: a.min });
    if (a.max != null && v > units(a.max)) return fmt(T.above, { v: a.max });
    // allowed entries are min + k × step (docs/document.md), as the server checks (rules/marks.py)
    var base = a.min != null ? units(a.min) : 0n;
    if (a.step != null && units(a.step) > 0n && (v - base) % units(a.step) !== 0n) return fmt(T.step, { v: a.step });
    return null;
  }

  // ------------------------------------------------------------------ state helpers
  function person(ref) {
    if (!sheet) return null;
    for (var i = 0; i < sheet.contestants.length; i++) if (sheet.contestants[i].ref === ref) return sheet.contestants[i];
    return null;
  }
  function panelOf(c) {
    for (var i = 0; i < sheet.panels.length; i++) if (sheet.panels[i].id === c.panel_id) return sheet.panels[i];
    return null;
  }
  function pendingFor(ref) {
    return outbox.filter(function (x) { return x.contestant === ref; }).length;
  }
  function markSigned(c) {
    var p = panelOf(c);
    if (!p) return;
    p.aspects.forEach(function (a) {
      var m = c.marks[a.code];
      if (m && m.value != null) { m.state = 'signed'; m.pending = true; }
    });
  }
  function applyPending() {
    // marks (and sign-offs) still in the outbox win over what the server last said
    outbox.forEach(function (x) {
      var c = person(x.contestant);
      if (!c) return;
      if (x.kind === 'sign') { markSigned(c); return; }
      c.marks[x.aspect] = { value: x.value, version: x.based_on_version + 1, state: 'submitted',
                            round: (c.marks[x.aspect] || {}).round || 1, pending: true };
    });
    if (sheet) sheet.contestants.forEach(restatus);
  }
  function restatus(c) {
    var p = panelOf(c);
    if (!p) return;
    var done = 0, signed = 0, remark = false;
    p.aspects.forEach(function (a) {
      var m = c.marks[a.code] || {};
      if (m.state === 'remark') remark = true;
      if ((m.state === 'submitted' || m.state === 'signed') && m.value != null) done++;
      if (m.state === 'signed') signed++;
    });
    var n = p.aspects.length;
    c.status = n && signed === n ? 'signed' : remark ? 'remark' : n && done === n ? 'submitted' : done ? 'partial' : 'missing';
  }
  function save() { store.set('sheet', sheet); store.set('outbox', outbox); }

  // ------------------------------------------------------------------ connection, badge, notices
  function setOnline(v) {
    online = v;
    var el = document.querySelector('[data-testid=connection]');
    if (el) { el.dataset.state = v ? 'online' : 'offline'; el.textContent = v ? T.online : T.offline; }
  }
  function badge() {
    var el = document.querySelector('[data-testid=unsent]');
    if (el) { el.dataset.count = String(outbox.length); el.textContent = fmt(T.unsent, { n: outbox.length }); }
    el.classList.toggle('jdg-has-unsent', outbox.length > 0);
  }
  function notice(text, kind) {
    var box = document.getElementById('jdg-notices');
    var p = document.createElement('p');
    p.className = 'jdg-notice ' + (kind || '');
    p.textContent = text;
    box.prepend(p);
    while (box.children.length > 4) box.removeChild(box.lastChild);
  }

  // ------------------------------------------------------------------ network
  function post(url, body) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json',
      'Accept': 'application/json' }, body: JSON.stringify(body) });
  }
  function loadSheet() {
    return fetch(cfg.sheetUrl, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) {
        if (r.status === 401) { expired = true; notice(T.expired, 'jdg-bad'); return null; }
        if (!r.ok) return null;
        setOnline(true);
        return r.json().then(function (data) { sheet = data; applyPending(); save(); });
      })
      .catch(function () { setOnline(false); })
      .then(render);
  }
  function flush() {
    if (flushing || expired || !outbox.length) return Promise.resolve();
    flushing = true;
    var refresh = false;
    function step() {
      if (!outbox.length) return Promise.resolve();
      var item = outbox[0];
      var isSign = item.kind === 'sign';
      return post(isSign ? cfg.signUrl : cfg.markUrl, isSign ? { contestant: item.contestant } : item).then(function (r) {
        if (r.status === 401) { expired = true; notice(T.expired, 'jdg-bad'); return; }
        if (r.status >= 500 || r.status === 429 || r.status === 400) { return; }  // keep it, retry later
        setOnline(true);
        return r.json().catch(function () { return {}; }).then(function (data) {
          var c = person(item.contestant);
          if (r.ok && isSign) {
            refresh = true;   // signing made new versions of the marks: fetch them
          } else if (r.ok) {
            if (c && c.marks[item.aspect]) {
              c.marks[item.aspect] = { value: data.value, version: data.version, state: data.state, round: data.round };
            }
          } else {
            var msg = (data.error && (data.error.problems && data.error.problems.length
              ? (isSign ? T.signIncomplete
                 : data.error.problems.map(function (p) { return p.field + ': ' + p.message; }).join('; '))
              : data.error.message)) || String(r.status);
            var dropped = 0;
            if (!isSign) {   // a sign-off queued behind a refused mark must not lock the sheet
              var kept = outbox.filter(function (x) { return !(x.kind === 'sign' && x.contestant === item.contestant); });
              dropped = outbox.length - kept.length;
              outbox = kept;
            }
            notice(fmt(T.rejected, { msg: (isSign ? item.contestant : item.aspect) + ' · ' + msg }) +
                   (dropped ? ' ' + T.signDropped : ''), 'jdg-bad');
            refresh = true;
          }
          outbox.shift();
          save();
          badge();
          return step();
        });
      }, function () { setOnline(false); });
    }
    return step().then(function () {
      flushing = false;
      badge();
      if (!outbox.length && !refresh) notice(T.sent, 'jdg-good');
      if (refresh) return loadSheet();
      render();
    }, function () { flushing = false; });
  }
  function heartbeat() {
    post(cfg.heartbeatUrl, { client_id: clientId, unsent: outbox.length }).then(function (r) {
      if (r.status === 401) { expired = true; return; }
      setOnline(true);
      if (outbox.length) flush();
    }, function () { setOnline(false); });
  }

  // ------------------------------------------------------------------ rendering
  function render() {
    badge();
    var list = document.getElementById('jdg-contestants');
    var main = document.getElementById('jdg-sheet');
    if (!sheet) { return; }
    list.innerHTML = sheet.contestants.map(function (c) {
      var n = pendingFor(c.ref);
      return '<li><button type="button" class="jdg-pick jdg-st-' + c.status + (c.ref === current ? ' jdg-current' : '') +
        '" data-ref="' + esc(c.ref) + '" data-testid="pick-' + esc(c.ref) + '" data-status="' + c.status + '">' +
        '<span class="jdg-station">' + esc(T.station) + ' ' + esc(c.station || '—') + '</span>' +
        '<span class="jdg-code">' + esc(c.ref) + '</span>' +
        '<span class="jdg-status">' + esc(T['status_' + c.status] || c.status) + (n ? ' · ' + fmt(T.unsent, { n: n }) : '') +
        '</span></button></li>';
    }).join('');
    var c = current && person(current);
    if (!c) { main.innerHTML = '<p class="jdg-empty">' + esc(T.pick) + '</p>'; return; }
    var p = panelOf(c);
    main.innerHTML = mode === 'review' ? reviewHtml(c, p) : formHtml(c, p);
  }
  function valueOf(c, a) {
    if (a.code in draft) return draft[a.code];
    var m = c.marks[a.code] || {};
    return m.state === 'remark' || m.value == null ? '' : m.value;
  }
  function formHtml(c, p) {
    var locked = c.status === 'signed';
    var h = '<header class="jdg-sheet-head"><h2 data-testid="sheet-title">' + esc(T.station) + ' ' + esc(c.station || '—') +
      ' · ' + esc(c.ref) + '</h2><p>' + esc(p.name) + '</p>' + (locked ? '<p class="jdg-locked">' + esc(T.signedNote) + '</p>' : '') +
      '</header><form class="jdg-form" data-testid="form" novalidate>';
    p.aspects.forEach(function (a) {
      var m = c.marks[a.code] || {};
      var raw = valueOf(c, a);
      var why = problem(a, raw);
      h += '<div class="jdg-field jdg-t-' + a.type + (why ? ' jdg-invalid' : '') + '" data-aspect="' + esc(a.code) +
        '" data-type="' + a.type + '" data-testid="field-' + esc(a.code) + '">' +
        '<div class="jdg-label"><strong>' + esc(a.code) + '</strong> ' + esc(a.name) +
        (a.criterion ? '<small>' + esc(a.criterion) + '</small>' : '') +
        (m.state === 'remark' ? '<span class="jdg-remark" data-testid="remark-' + esc(a.code) + '">' + esc(fmt(T.remark, { n: m.round })) + '</span>' : '') +
        (m.version ? '<small class="jdg-ver">' + esc(m.pending ? T.pending : fmt(T.version, { v: m.version })) + '</small>' : '') +
        '</div>' + inputHtml(a, raw, locked) +
        '<span class="jdg-why" aria-live="polite">' + esc(why || '') + '</span></div>';
    });
    h += '</form><div class="jdg-actions">';
    if (!locked) h += '<button type="button" class="primary jdg-big" data-act="review" data-testid="review">' + esc(T.review) + '</button>';
    var complete = c.status === 'submitted';
    if (!locked) h += '<button type="button" class="jdg-big" data-act="sign" data-testid="sign"' + (complete ? '' : ' disabled') +
      '>' + esc(T.sign) + '</button>';
    else h += '<span class="jdg-signed" data-testid="signed"' + (pendingFor(c.ref) ? ' data-pending="1">' + esc(T.signedPending)
                                                                                   : '>' + esc(T.signed)) + '</span>';
    return h + '</div>';
  }
  function inputHtml(a, raw, locked) {
    var dis = locked ? ' disabled' : '';
    if (a.type === 'judgement') {
      var top = parseInt(a.max || a.scale_max || '3', 10), h = '<div class="jdg-levels" role="radiogroup">';
      for (var k = 0; k <= top; k++) {
        h += '<button type="button" class="jdg-level" role="radio" aria-checked="' + (String(raw) === String(k)) + '" data-set="' + k +
          '" data-testid="level-' + esc(a.code) + '-' + k + '"' + dis + '><b>' + k + '</b><small>' + esc((a.descriptors || [])[k] || '') + '</small></button>';
      }
      return h + '</div>';
    }
    if (a.type === 'deduction') {
      return '<div class="jdg-counter"><button type="button" class="jdg-big" data-dec aria-label="−"' + dis + '>−</button>' +
        '<output class="jdg-count" data-testid="count-' + esc(a.code) + '">' + (raw === '' ? '—' : esc(raw)) + '</output>' +
        '<button type="button" class="jdg-big" data-inc aria-label="+"' + dis + '>+</button>' +
        '<button type="button" data-set="0"' + dis + '>' + esc(T.noFaults) + '</button><small>' + esc(T.faults) + ' ≤ ' + esc(a.max) + '</small></div>';
    }
    if (a.type === 'time') {
      var mm = '', ss = '';
      if (raw !== '' && units(raw) !== null) { var sec = Number(raw); mm = String(Math.floor(sec / 60)); ss = String(sec - Math.floor(sec / 60) * 60); }
      return '<div class="jdg-time"><input class="jdg-big" inputmode="numeric" data-mm value="' + esc(mm) + '" aria-label="' + esc(T.minutes) + '"' + dis + '> ' + esc(T.minutes) +
        ' <input class="jdg-big" inputmode="numeric" data-ss value="' + esc(ss) + '" aria-label="' + esc(T.seconds) + '"' + dis + '> ' + esc(T.seconds) + '</div>';
    }
    return '<div class="jdg-measure"><input class="jdg-big jdg-num" inputmode="decimal" autocomplete="off" data-num value="' + esc(raw) + '"' + dis +
      '><small>' + esc(fmt(T.range, { min: a.min, max: a.max, step: a.step })) + '</small></div>';
  }
  function reviewHtml(c, p) {
    var h = '<h2>' + esc(T.reviewTitle) + ' · ' + esc(c.ref) + '</h2><table class="jdg-review" data-testid="review-table"><tbody>';
    var bad = false;
    p.aspects.forEach(function (a) {
      var raw = valueOf(c, a), why = problem(a, raw);
      if (why) bad = true;
      h += '<tr class="' + (raw === '' ? 'jdg-blank' : '') + '"><th>' + esc(a.code) + ' ' + esc(a.name) + '</th><td>' +
        (raw === '' ? esc(T.blank) : esc(raw)) + (why ? ' <span class="jdg-why">' + esc(why) + '</span>' : '') + '</td></tr>';
    });
    h += '</tbody></table><p class="jdg-hint">' + esc(T.blankNote) + '</p><div class="jdg-actions">' +
      '<button type="button" class="jdg-big" data-act="back">' + esc(T.back) + '</button>' +
      '<button type="button" class="primary jdg-big" data-act="submit" data-testid="submit"' + (bad ? ' disabled' : '') + '>' + esc(T.submit) + '</button></div>';
    return h;
  }

  // ------------------------------------------------------------------ actions
  function setDraft(code, value) {
    draft[code] = value;
    var c = person(current), p = panelOf(c);
    var a = p.aspects.filter(function (x) { return x.code === code; })[0];
    var field = document.querySelector('.jdg-field[data-aspect="' + CSS.escape(code) + '"]');
    var why = problem(a, value);
    if (field) {
      field.classList.toggle('jdg-invalid', !!why);
      field.querySelector('.jdg-why').textContent = why || '';
      field.querySelectorAll('[data-set]').forEach(function (b) {
        if (b.getAttribute('role') === 'radio') b.setAttribute('aria-checked', String(b.dataset.set === String(value)));
      });
      var out = field.querySelector('output');
      if (out) out.textContent = value === '' ? '—' : value;
    }
  }
  function submitDraft() {
    var c = person(current), p = panelOf(c), n = 0;
    p.aspects.forEach(function (a) {
      if (!(a.code in draft)) return;
      var raw = String(draft[a.code]).trim();
      var m = c.marks[a.code] || { version: 0 };
      if (raw === '' || problem(a, raw)) return;                              // blank is not zero: not sent
      if (m.state !== 'remark' && m.value != null && units(m.value) === units(raw)) return;  // unchanged
      var item = { idempotency_key: clientId + '-' + randomId(), contestant: c.ref, aspect: a.code, value: raw,
                   based_on_version: m.version || 0, client_id: clientId };
      outbox.push(item);
      c.marks[a.code] = { value: raw, version: item.based_on_version + 1, state: 'submitted', round: m.round || 1, pending: true };
      n++;
    });
    draft = {};
    mode = 'form';
    restatus(c);
    save();
    if (n) notice(fmt(T.queued, { n: n }));
    else notice(T.nothingChanged);
    render();
    flush();
  }
  function signOff() {
    var c = person(current);
    if (c.status !== 'submitted') { notice(T.signIncomplete, 'jdg-bad'); return; }
    // queued behind this sheet's unsent marks, sent in order: works offline like a mark
    outbox.push({ kind: 'sign', contestant: c.ref, client_id: clientId });
    markSigned(c);
    restatus(c);
    save();
    badge();
    notice(T.signQueued);
    render();
    flush();
  }

  document.addEventListener('click', function (e) {
    var pick = e.target.closest('[data-ref]');
    if (pick) { current = pick.dataset.ref; store.set('current', current); draft = {}; mode = 'form'; render(); return; }
    var act = e.target.closest('[data-act]');
    if (act) {
      if (act.dataset.act === 'review') { mode = 'review'; render(); }
      else if (act.dataset.act === 'back') { mode = 'form'; render(); }
      else if (act.dataset.act === 'submit') submitDraft();
      else if (act.dataset.act === 'sign') signOff();
      return;
    }
    var field = e.target.closest('.jdg-field');
    if (!field) return;
    var code = field.dataset.aspect, btn = e.target.closest('button');
    if (!btn || btn.disabled) return;
    var c = person(current), a = panelOf(c).aspects.filter(function (x) { return x.code === code; })[0];
    var now = valueOf(c, a);
    if ('set' in btn.dataset) setDraft(code, btn.dataset.set);
    else if ('inc' in btn.dataset) setDraft(code, String(Math.min(Number(now === '' ? 0 : now) + 1, Number(a.max))));
    else if ('dec' in btn.dataset) setDraft(code, String(Math.max(Number(now === '' ? 1 : now) - 1, 0)));
  });
  document.addEventListener('input', function (e) {
    var field = e.target.closest('.jdg-field');
    if (!field) return;
    if ('num' in e.target.dataset) setDraft(field.dataset.aspect, e.target.value.trim());
    if ('mm' in e.target.dataset || 'ss' in e.target.dataset) {
      var mm = field.querySelector('[data-mm]').value.trim(), ss = field.querySelector('[data-ss]').value.trim();
      if (mm === '' && ss === '') { setDraft(field.dataset.aspect, ''); return; }
      if (!/^\d*$/.test(mm) || !/^\d*$/.test(ss)) { setDraft(field.dataset.aspect, mm + ':' + ss); return; }
      setDraft(field.dataset.aspect, String(Number(mm || 0) * 60 + Number(ss || 0)));
    }
  });

  window.addEventListener('online', function () { setOnline(true); flush().then(loadSheet); });
  window.addEventListener('offline', function () { setOnline(false); });

  // ------------------------------------------------------------------ offline: service worker + precache
  if ('serviceWorker' in navigator && window.caches) {
    navigator.serviceWorker.register(cfg.swUrl, { scope: '/judge/' })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { return caches.open(CACHE); })
      .then(function (cache) {
        var urls = [location.pathname + location.search];
        document.querySelectorAll('link[rel=stylesheet], script[src]').forEach(function (el) { urls.push(el.href || el.src); });
        return Promise.all(urls.map(function (u) {
          return fetch(u, { credentials: 'same-origin' }).then(function (r) {
            if (r.ok && !r.redirected) return cache.put(u, r);
          });
        }));
      })
      .then(function () { document.body.dataset.offlineReady = '1'; })
      .catch(function () { /* no service worker (plain http on a LAN address): the outbox still works */ });
  }

  setOnline(navigator.onLine);
  render();
  loadSheet().then(flush);
  setInterval(function () { if (outbox.length && !flushing) flush(); }, 4000);
  setInterval(heartbeat, 10000);
  heartbeat();
})();
