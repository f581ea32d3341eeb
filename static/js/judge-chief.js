/* The chief judge's live progress grid.
 *
 * Why re-fetch on a push: the server sends only "something changed" in the /judging namespace;
 * the grid is fetched whole over HTTP, so a missed event can never leave a wrong cell (a slow
 * periodic refresh covers a dropped socket too).
 */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('jdg-config').textContent);
  var T = cfg.t;
  var grid = null;
  var pending = null;
  var action = null;

  function fmt(s, p) { return String(s).replace(/\{(\w+)\}/g, function (m, k) { return p && k in p ? p[k] : m; }); }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function notice(text, kind) {
    var box = document.getElementById('jdg-notices');
    var p = document.createElement('p');
    p.className = 'jdg-notice ' + (kind || '');
    p.textContent = text;
    box.prepend(p);
    while (box.children.length > 4) box.removeChild(box.lastChild);
  }
  function post(url, body) {
    return fetch(url, { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) {
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
    return fetch(cfg.progressUrl, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { grid = data; render(); } })
      .catch(function () {});
  }
  function soon() { clearTimeout(pending); pending = setTimeout(refresh, 150); }

  function render() {
    var t = '<h2>' + esc(T.tablets) + '</h2>';
    t += grid.tablets.length ? '<ul class="jdg-tablets">' + grid.tablets.map(function (x) {
      return '<li data-testid="tablet-' + esc(x.judge) + '" class="' + (x.online ? 'jdg-on' : 'jdg-off') + '">' + esc(x.judge) + ' · ' +
        esc(x.online ? T.online : T.offline) + ' · ' + esc(fmt(T.unsent, { n: x.unsent })) + '</li>';
    }).join('') + '</ul>' : '<p>' + esc(T.noTablets) + '</p>';
    document.getElementById('jdg-tablets').innerHTML = t;
    var h = '<p class="jdg-hint">' + esc(fmt(T.version, { v: grid.version })) + '</p>';
    grid.panels.forEach(function (p) {
      h += '<section class="card jdg-panel" data-panel="' + p.id + '"><h2>' + esc(p.name) + '</h2><div class="jdg-scroll"><table class="jdg-grid"><thead><tr><th>' +
        esc(T.station) + '</th><th>' + esc(T.code) + '</th>' + p.judges.map(function (j) { return '<th>' + esc(j) + '</th>'; }).join('') +
        '<th>' + esc(T.flags) + '</th><th></th></tr></thead><tbody>';
      p.rows.forEach(function (r) {
        var all = true;
        h += '<tr data-testid="row-' + esc(r.ref) + '"><td>' + esc(r.station) + '</td><td>' + esc(r.ref) + '</td>';
        p.judges.forEach(function (j) {
          var st = r.cells[j];
          if (st !== 'signed' && st !== 'recused') all = false;
          h += '<td><button type="button" class="jdg-cell jdg-s-' + st + '" data-testid="cell-' + esc(r.ref) + '-' + esc(j) + '" data-state="' + st +
            '" data-judge="' + esc(j) + '" data-ref="' + esc(r.ref) + '"' + (st === 'signed' ? '' : ' disabled') + '>' + esc(T['s_' + st] || st) + '</button></td>';
        });
        h += '<td>' + r.flags.map(function (f) {
          return '<div class="jdg-flag" data-testid="flag-' + esc(r.ref) + '-' + esc(f.aspect) + '">' +
            esc(f.state === 'open' ? fmt(T.flag, f) : fmt(T.rescoring, { aspect: f.aspect, n: f.round + 1 })) +
            (f.state === 'open' ? ' <button type="button" data-rescore="' + esc(f.aspect) + '" data-ref="' + esc(r.ref) + '" data-testid="rescore-' +
              esc(r.ref) + '-' + esc(f.aspect) + '">' + esc(T.rescore) + '</button>' : '') + '</div>';
        }).join('') + '</td><td>';
        if (r.confirmed_by) h += '<span class="jdg-confirmed" data-testid="confirmed-' + esc(r.ref) + '">' + esc(fmt(T.confirmed, { who: r.confirmed_by })) + '</span>';
        else if (all && !r.flags.length) h += '<button type="button" class="primary" data-confirm="' + p.id + '" data-ref="' + esc(r.ref) +
          '" data-testid="confirm-' + esc(r.ref) + '">' + esc(T.confirm) + '</button>';
        h += '</td></tr>';
      });
      h += '</tbody></table></div></section>';
    });
    document.getElementById('jdg-grid').innerHTML = h;
  }

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
    var socket = io('/judging', { auth: { slug: cfg.slug } });
    socket.on('connect', function () { live(true); refresh(); });
    socket.on('disconnect', function () { live(false); });
    socket.on('connect_error', function () { live(false); });
    socket.on('progress', soon);
  }
  refresh();
  setInterval(refresh, 30000);
})();
