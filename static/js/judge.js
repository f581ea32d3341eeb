/* The judge's marking page: one contestant at a time, touch-first, works offline.
 *
 * Why an outbox: every mark is written to localStorage with its idempotency key before it is
 * sent, and removed only when the server's durable receipt arrives. A reload, a browser
 * restart or a dead Wi-Fi loses nothing, and a resend can never double a mark (the server
 * answers a known key with the original receipt). A sign-off made offline waits in the same
 * outbox, behind the marks it signs; if one of those marks is refused, the queued sign-off is
 * dropped (the judge checks and signs again) rather than locking a sheet the judge did not see.
 */
import { el, fmt, getJson, notice, postJson, show } from './common.js';
import { contestantItems, declaredInvalid, problem, reviewTable, sheetForm, signConfirm, units } from './judge-sheet.js';

var cfg = JSON.parse(document.getElementById('jdg-config').textContent);
var T = cfg.t;
var CACHE = 'jdg-v1';
var PREFIX = 'jdg:' + cfg.slug + ':' + cfg.judge + ':';

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
  var marked = p.aspects.filter(function (a) { return !declaredInvalid(c, a); });  // the technical panel's "-"
  marked.forEach(function (a) {
    var m = c.marks[a.code] || {};
    if (m.state === 'remark') remark = true;
    if ((m.state === 'submitted' || m.state === 'signed') && m.value != null) done++;
    if (m.state === 'signed') signed++;
  });
  var n = marked.length;
  c.status = n && signed === n ? 'signed' : remark ? 'remark' : n && done === n ? 'submitted' : done ? 'partial' : 'missing';
}
function save() { store.set('sheet', sheet); store.set('outbox', outbox); }

// ------------------------------------------------------------------ connection, badge, notices
function setOnline(v) {
  online = v;
  var shown = document.querySelector('[data-testid=connection]');
  if (shown) { shown.dataset.state = v ? 'online' : 'offline'; shown.textContent = v ? T.online : T.offline; }
}
function badge() {
  var shown = document.querySelector('[data-testid=unsent]');
  if (shown) { shown.dataset.count = String(outbox.length); shown.textContent = fmt(T.unsent, { n: outbox.length }); }
  shown.classList.toggle('jdg-has-unsent', outbox.length > 0);
}

// ------------------------------------------------------------------ network
function loadSheet() {
  return getJson(cfg.sheetUrl)
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
    return postJson(isSign ? cfg.signUrl : cfg.markUrl, isSign ? { contestant: item.contestant } : item).then(function (r) {
      if (r.status === 401) { expired = true; notice(T.expired, 'jdg-bad'); return; }
      if (r.status >= 500 || r.status === 429 || r.status === 400) { return; }  // keep it, retry later
      setOnline(true);
      return r.json().catch(function () { return {}; }).then(function (data) {
        var c = person(item.contestant);
        if (r.ok && isSign) {
          refresh = true;   // signing made new versions of the marks: fetch them
          notice(fmt(T.signedDone, { ref: item.contestant }), 'jdg-good');
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
  postJson(cfg.heartbeatUrl, { client_id: clientId, unsent: outbox.length }).then(function (r) {
    if (r.status === 401) { expired = true; return; }
    setOnline(true);
    if (outbox.length) flush();
  }, function () { setOnline(false); });
}

// ------------------------------------------------------------------ rendering
function render() {
  badge();
  if (!sheet) { return; }
  var view = { T: T, valueOf: valueOf, pendingFor: pendingFor };
  show(document.getElementById('jdg-contestants'), contestantItems(sheet, current, view));
  fillSessions();
  filterList();
  var main = document.getElementById('jdg-sheet');
  var c = current && person(current);
  if (!c) { show(main, el('p', 'jdg-empty', T.pick)); return; }
  show(main, mode === 'review' ? reviewTable(c, panelOf(c), view)
    : mode === 'sign' && c.status === 'submitted' ? signConfirm(c, panelOf(c), view) : sheetForm(c, panelOf(c), view));
}
function valueOf(c, a) {
  if (a.code in draft) return draft[a.code];
  var m = c.marks[a.code] || {};
  return m.state === 'remark' || m.value == null ? '' : m.value;
}

// ------------------------------------------------------------------ the contestant list: search, fold
/* Why: on a tablet held upright the list sits above the form, 75 contestants long; the judge types a
 * station number or a code to find one, folds the list away, and after a pick the form is scrolled
 * into view (the status bar stays pinned on top, so "online" and "N unsent" never scroll away). */
var listOpen = true;
function norm(text) { return String(text || '').toLowerCase().replace(/\s+/g, ''); }
/* Sessions (场次): a stage run in sittings over a day or two; the list shows the session on now by
 * the venue's clock (the server's current_session) until the judge picks another or "all". */
var sessionPicked = null;
function fillSessions() {
  var pick = document.getElementById('jdg-session');
  var list = (sheet && sheet.sessions) || [];
  pick.hidden = !list.length;
  if (!list.length || pick.options.length) return;
  pick.appendChild(el('option', { value: '' }, T.allSessions));
  list.forEach(function (s) { pick.appendChild(el('option', { value: s.code }, s.name + ' · ' + s.date + ' ' + s.start)); });
  pick.value = sessionPicked !== null ? sessionPicked : (sheet.current_session || '');
}
function filterList() {
  var q = norm(document.getElementById('jdg-search').value), shown = 0;
  var only = document.getElementById('jdg-session').value;
  document.querySelectorAll('#jdg-contestants > li').forEach(function (li) {
    var b = li.querySelector('[data-ref]');
    var c = b && person(b.dataset.ref);
    if (only && c && c.session && c.session !== only) { li.hidden = true; return; }
    var station = c && c.station != null ? String(c.station) : '';
    // a code matches anywhere in it ("3582", "ty-35"); digits match a station from its start
    // ("05" is station 05 only; "5" is 05 and 50-59)
    var hit = !q || norm(b.dataset.ref).indexOf(q) >= 0 || (/^[0-9]+$/.test(q) &&
      (norm(station).indexOf(q) === 0 || (q.charAt(0) !== '0' && norm(station).replace(/^0+(?=[0-9])/, '').indexOf(q) === 0)));
    li.hidden = !hit;
    if (hit) shown++;
  });
  var none = document.getElementById('jdg-no-match');
  if (!shown && !none) document.getElementById('jdg-contestants').after(el('p', { id: 'jdg-no-match', 'class': 'jdg-hint' }, T.noMatch));
  else if (shown && none) none.remove();
  return shown;
}
function setListOpen(open) {
  listOpen = open;
  var toggle = document.getElementById('jdg-list-toggle');
  document.getElementById('jdg-list-body').hidden = !open;
  toggle.setAttribute('aria-expanded', String(open));
  toggle.textContent = open ? T.hideList : fmt(T.showList, { n: sheet ? sheet.contestants.length : 0 });
}
function stacked() {
  // the list above the form (portrait or narrow): the form is not beside the list
  var list = document.querySelector('.jdg-list'), form = document.getElementById('jdg-sheet');
  return form.getBoundingClientRect().top >= list.getBoundingClientRect().bottom - 1;
}
function showForm() {
  var form = document.getElementById('jdg-sheet');
  if (stacked() || form.getBoundingClientRect().top < 0) form.scrollIntoView({ block: 'start' });
}
document.getElementById('jdg-search').addEventListener('input', filterList);
document.getElementById('jdg-session').addEventListener('change', function (e) { sessionPicked = e.target.value; filterList(); });
document.getElementById('jdg-search').addEventListener('keydown', function (e) {
  if (e.key !== 'Enter') return;
  e.preventDefault();
  var hits = Array.prototype.filter.call(document.querySelectorAll('#jdg-contestants > li'), function (li) { return !li.hidden; });
  if (hits.length === 1) hits[0].querySelector('[data-ref]').click();
});
document.getElementById('jdg-list-toggle').addEventListener('click', function () { setListOpen(!listOpen); });

// ------------------------------------------------------------------ actions
function setDraft(code, value) {
  draft[code] = value;
  var c = person(current), p = panelOf(c);
  var a = p.aspects.filter(function (x) { return x.code === code; })[0];
  var field = document.querySelector('.jdg-field[data-aspect="' + CSS.escape(code) + '"]');
  var why = problem(a, value, T);
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
    if (raw === '' || problem(a, raw, T)) return;                              // blank is not zero: not sent
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
  if (!n) notice(T.nothingChanged);
  render();
  // "saved on this tablet, sent when the network is back" only when that is what happened: offline,
  // or the marks are still waiting after this attempt (online, the "all sent" notice follows instead)
  var busy = flushing;
  flush().then(function () {
    if (n && outbox.length && (!online || !busy)) notice(fmt(T.queued, { n: outbox.length }));
  });
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
  mode = 'form';
  notice(T.signQueued);
  render();
  flush();
}

document.addEventListener('click', function (e) {
  var pick = e.target.closest('[data-ref]');
  if (pick) { current = pick.dataset.ref; store.set('current', current); draft = {}; mode = 'form'; render(); showForm(); return; }
  var act = e.target.closest('[data-act]');
  if (act) {
    if (act.dataset.act === 'review') { mode = 'review'; render(); }
    else if (act.dataset.act === 'back') { mode = 'form'; render(); }
    else if (act.dataset.act === 'submit') submitDraft();
    else if (act.dataset.act === 'sign') {   // asks first (signConfirm), in view on a portrait tablet
      mode = 'sign';
      render();
      document.getElementById('jdg-sheet').scrollIntoView({ block: 'start' });
    }
    else if (act.dataset.act === 'sign-confirm') signOff();
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
      // the page, its stylesheets and scripts, and the modules they import (common.js, judge-sheet.js):
      // every /static/ file this page loaded, so an offline reload finds the whole module graph
      var urls = [location.pathname + location.search];
      document.querySelectorAll('link[rel=stylesheet], script[src]').forEach(function (node) { urls.push(node.href || node.src); });
      performance.getEntriesByType('resource').forEach(function (entry) {
        var url = new URL(entry.name);
        if (url.origin === location.origin && url.pathname.indexOf('/static/') === 0) urls.push(url.href);
      });
      return Promise.all(Array.from(new Set(urls)).map(function (u) {
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
