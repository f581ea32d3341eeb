/* The chief judge's live progress grid.
 *
 * Why re-fetch on a push: the server sends only "something changed" in the /judging namespace;
 * the grid is fetched whole over HTTP, so a missed event can never leave a wrong cell (a slow
 * periodic refresh covers a dropped socket too).
 */
import { el, fmt, getJson, notice, postJson, show } from './common.js';

var cfg = JSON.parse(document.getElementById('jdg-config').textContent);
var T = cfg.t;
var grid = null;
var pending = null;
var action = null;

function post(url, body) {
  return postJson(url, body).then(function (r) {
    return r.json().catch(function () { return {}; }).then(function (data) {
      if (!r.ok) {
        var e = data.error || {};
        notice((e.problems ? e.problems.map(function (p) { return p.message; }).join('; ') : e.message) || String(r.status), 'jdg-bad');
      } else { notice(T.done, 'jdg-good'); }
      return refresh();
    });
  });
}
function refresh() {
  return getJson(cfg.progressUrl)
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) { if (data) { grid = data; render(); } })
    .catch(function () {});
}
function soon() { clearTimeout(pending); pending = setTimeout(refresh, 150); }

function tablets() {
  var items = grid.tablets.map(function (x) {
    return el('li', { 'data-testid': 'tablet-' + x.judge, 'class': x.online ? 'jdg-on' : 'jdg-off' },
      x.judge + ' · ' + (x.online ? T.online : T.offline) + ' · ' + fmt(T.unsent, { n: x.unsent }));
  });
  return [el('h2', null, T.tablets), items.length ? el('ul', 'jdg-tablets', items) : el('p', null, T.noTablets)];
}
function cell(r, judge, trainee) {
  var st = r.cells[judge];
  return el('td', trainee ? 'jdg-trainee-col' : null, el('button', { type: 'button', 'class': 'jdg-cell jdg-s-' + st, 'data-testid': 'cell-' + r.ref + '-' + judge,
    'data-state': st, 'data-judge': judge, 'data-ref': r.ref, disabled: st !== 'signed' }, T['s_' + st] || st));
}
function flag(r, f) {
  var open = f.state === 'open';
  return el('div', { 'class': 'jdg-flag', 'data-testid': 'flag-' + r.ref + '-' + f.aspect },
    open ? fmt(T.flag, f) : fmt(T.rescoring, { aspect: f.aspect, n: f.round + 1 }),
    open ? ' ' : null,
    open ? el('button', { type: 'button', 'data-rescore': f.aspect, 'data-ref': r.ref, 'data-testid': 'rescore-' + r.ref + '-' + f.aspect },
      T.rescore) : null);
}
function confirmation(p, r) {
  if (r.confirmed_by) {
    return el('span', { 'class': 'jdg-confirmed', 'data-testid': 'confirmed-' + r.ref }, fmt(T.confirmed, { who: r.confirmed_by }));
  }
  var all = p.judges.every(function (j) { return r.cells[j] === 'signed' || r.cells[j] === 'recused'; });
  if (!all || r.flags.length) return null;
  return el('button', { type: 'button', 'class': 'primary', 'data-confirm': p.id, 'data-ref': r.ref, 'data-testid': 'confirm-' + r.ref },
    T.confirm);
}
function row(p, r) {
  return el('tr', { 'data-testid': 'row-' + r.ref }, el('td', null, r.station), el('td', null, r.ref),
    p.judges.map(function (j) { return cell(r, j); }),
    (p.trainees || []).map(function (j) { return cell(r, j, true); }),
    el('td', null, r.flags.map(function (f) { return flag(r, f); })),
    el('td', null, confirmation(p, r)));
}
/* Sessions (场次): the grid shows the session on now (the server's current_session) until the chief
 * judge picks another or "all"; a panel of another session is left out, its rows too. */
var sessionPicked = null;
function onlySession() {
  var pick = document.getElementById('jdg-session'), list = grid.sessions || [];
  pick.hidden = !list.length;
  if (list.length && !pick.options.length) {
    pick.appendChild(el('option', { value: '' }, T.allSessions));
    list.forEach(function (s) { pick.appendChild(el('option', { value: s.code }, s.name + ' · ' + s.date + ' ' + s.start)); });
    pick.value = sessionPicked !== null ? sessionPicked : (grid.current_session || '');
  }
  return list.length ? pick.value : '';
}
function inSession(p, only) {
  if (!only || (p.session && p.session !== only)) return only ? null : p;
  var rows = p.rows.filter(function (r) { return !r.session || r.session === only; });
  return rows.length || p.session ? Object.assign({}, p, { rows: rows }) : null;
}
function panel(p) {
  var head = el('tr', null, el('th', null, T.station), el('th', null, T.code),
    p.judges.map(function (j) { return el('th', null, j); }),
    (p.trainees || []).map(function (j) {
      return el('th', { 'class': 'jdg-trainee-col', 'data-testid': 'trainee-' + j, title: T.traineeNote }, j, el('span', 'jdg-trainee', T.trainee));
    }), el('th', null, T.flags), el('th'));
  return el('section', { 'class': 'card jdg-panel', 'data-panel': p.id }, el('h2', null, p.name),
    el('div', 'jdg-scroll', el('table', 'jdg-grid', el('thead', null, head),
      el('tbody', null, p.rows.map(function (r) { return row(p, r); })))));
}
function render() {
  show(document.getElementById('jdg-tablets'), tablets());
  var only = onlySession();
  var shown = grid.panels.map(function (p) { return inSession(p, only); }).filter(Boolean);
  show(document.getElementById('jdg-grid'), el('p', 'jdg-hint', fmt(T.version, { v: grid.version })), shown.map(panel));
}
document.getElementById('jdg-session').addEventListener('change', function (e) { sessionPicked = e.target.value; render(); });

document.addEventListener('click', function (e) {
  var b = e.target.closest('button');
  if (!b) return;
  if (b.dataset.state === 'signed') {
    action = { judge: b.dataset.judge, contestant: b.dataset.ref };
    document.getElementById('jdg-action-title').textContent = fmt(T.unlockTitle, { judge: action.judge, ref: action.contestant });
    document.getElementById('jdg-action').hidden = false;
    document.getElementById('jdg-reason').focus();
  } else if (b.id === 'jdg-action-go' && action) {
    post(cfg.unlockUrl, { judge: action.judge, contestant: action.contestant, reason: document.getElementById('jdg-reason').value })
      .then(function () { document.getElementById('jdg-action').hidden = true; document.getElementById('jdg-reason').value = ''; });
  } else if (b.id === 'jdg-action-cancel') {
    document.getElementById('jdg-action').hidden = true;
    action = null;
  } else if (b.dataset.rescore) {
    post(cfg.rescoreUrl, { contestant: b.dataset.ref, aspect: b.dataset.rescore });
  } else if (b.dataset.confirm) {
    post(cfg.confirmUrl, { panel: Number(b.dataset.confirm), contestant: b.dataset.ref });
  }
});

var state = document.querySelector('[data-testid=live-state]');
function live(on) { state.dataset.state = on ? 'live' : 'reconnecting'; state.textContent = on ? T.live : T.reconnecting; }
if (window.io) {
  var socket = window.io('/judging', { auth: { slug: cfg.slug } });
  socket.on('connect', function () { live(true); refresh(); });
  socket.on('disconnect', function () { live(false); });
  socket.on('connect_error', function () { live(false); });
  socket.on('progress', soon);
}
refresh();
setInterval(refresh, 30000);
