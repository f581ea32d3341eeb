/* Live board: a snapshot on connect, versioned deltas after; a gap in versions re-fetches over HTTP.
   Used by the projector board, the phone page and the reveal ceremony screen. No external assets. */
import { el, fmt, getJson } from "./common.js";

var cfg = JSON.parse(document.getElementById("board-config").textContent);
var state = JSON.parse(document.getElementById("board-data").textContent);
var root = document.getElementById("board");
var groupsEl = document.getElementById("lb-groups");
var t = cfg.t;
var lastRanks = {};      // row code -> rank shown last time (for the arrows)
var page = 0, pageTimer = null, resyncing = false;

function fmtTime(iso) {
  if (!iso) return "";
  try {
    return new Intl.DateTimeFormat(cfg.lang === "en" ? "en-GB" : "zh-CN",
      { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: cfg.timezone || "Asia/Shanghai" })
      .format(new Date(iso));
  } catch (e) { return iso; }
}
function rankNum(r) { return r === null || r === undefined ? null : parseFloat(r); }

function renderHeader() {
  var st = document.getElementById("lb-state");
  if (st) { st.textContent = state.state_label; st.className = "lb-state lb-state-" + state.state; }
  var kind = document.getElementById("lb-kind");
  if (kind) kind.textContent = state.view.standings ? (state.final ? t.final : t.provisional) : "";
  var up = document.getElementById("lb-updated");
  if (up) up.textContent = state.updated_at ? fmt(state.view.source === "frozen" ? t.frozen : t.updated,
    { time: fmtTime(state.updated_at) }) : "";
  root.dataset.version = state.version;
  root.dataset.state = state.state;
}

function renderReveal() {
  var box = document.getElementById("lb-reveal");
  if (!box) return;
  var rv = state.reveal;
  if (!rv) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.textContent = "";
  var current = null;
  state.groups.forEach(function (g) { g.rows.forEach(function (r) { if (r.current) current = r; }); });
  box.appendChild(el("span", "lb-reveal-step", rv.done ? t.revealDone : fmt(t.revealStep, { n: rv.step, m: rv.total })));
  if (current) {
    box.appendChild(el("span", "lb-reveal-who", (current.rank ? current.rank + " · " : "") +
      (state.view.names ? current.name : current.code)));
    (current.awards || []).forEach(function (a) { box.appendChild(el("span", "lb-award lb-award-big", a)); });
  }
  root.dataset.revealStep = rv.step;
}

function rowsPerPage() {
  if (!cfg.paging) return 100000;
  var top = groupsEl.getBoundingClientRect().top;
  var avail = window.innerHeight - top - 60;
  var rowH = Math.max(28, window.innerHeight / 22);
  return Math.max(5, Math.floor(avail / rowH) - 1);
}

function pages() {
  var per = rowsPerPage(), out = [];
  state.groups.forEach(function (g) {
    if (!g.rows.length) { out.push({ g: g, rows: [] }); return; }
    for (var i = 0; i < g.rows.length; i += per) out.push({ g: g, rows: g.rows.slice(i, i + per) });
  });
  (state.team_standings || []).forEach(function (ts) { out.push({ team: ts }); });
  return out;
}

/* A table's head row in a thead; returns the tbody the rows go into (already in the table). */
function headed(table, head) {
  var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
  var tbody = el("tbody"); table.appendChild(tbody);
  return tbody;
}

function awardsCell(awards) {
  var td = el("td");
  (awards || []).forEach(function (a) { td.appendChild(el("span", "lb-award", a)); });
  return td;
}

/* 团体总分: one table per team standing, after the groups (the server sends them only when the
   policy shows them: with names, never during the award reveal). */
function renderTeam(ts) {
  var sec = el("section", "lb-group lb-team");
  sec.dataset.team = ts.code;
  sec.appendChild(el("h2", null, ts.title));
  sec.appendChild(el("p", "muted lb-team-method", ts.method_text));
  var table = el("table", "lb-table");
  var head = el("tr");
  head.appendChild(el("th", "num", t.rank));
  head.appendChild(el("th", null, t.delegation));
  ts.tiers.forEach(function (tier) { head.appendChild(el("th", "num", tier)); });
  if (ts.method !== "medal_table") head.appendChild(el("th", "num", t.score));
  head.appendChild(el("th", null, t.award));
  var tbody = headed(table, head);
  ts.rows.forEach(function (r) {
    var tr = el("tr");
    tr.dataset.delegation = r.delegation;
    tr.appendChild(el("td", "num lb-rank", r.rank ? r.rank + (r.tied ? "=" : "") : "—"));
    tr.appendChild(el("td", "lb-name", r.delegation));
    ts.tiers.forEach(function (tier) { tr.appendChild(el("td", "num", String((r.counts || {})[tier] || 0))); });
    if (ts.method !== "medal_table") tr.appendChild(el("td", "num lb-total", r.score || "—"));
    tr.appendChild(awardsCell(r.awards));
    tbody.appendChild(tr);
  });
  sec.appendChild(table);
  return sec;
}

function renderRows(flash) {
  groupsEl.textContent = "";
  if (!state.view.standings) {
    var sec = el("section", "lb-embargo");
    sec.appendChild(el("h2", null, t.nothing));
    sec.appendChild(el("p", null, t.nothingNote));
    groupsEl.appendChild(sec);
    setPageLabel(0, 0);
    return;
  }
  var all = state.reveal ? state.groups.map(function (g) { return { g: g, rows: g.rows }; }) : pages();
  if (page >= all.length) page = 0;
  var shown = cfg.paging && !state.reveal ? [all[page]].filter(Boolean) : all;
  var full = cfg.columns !== "compact";
  var names = state.view.names;
  shown.forEach(function (p) {
    if (p.team) { groupsEl.appendChild(renderTeam(p.team)); return; }
    var sec = el("section", "lb-group");
    sec.dataset.group = p.g.code;
    sec.appendChild(el("h2", null, p.g.name));
    var table = el("table", "lb-table");
    var head = el("tr");
    head.appendChild(el("th", "num", t.rank));
    head.appendChild(el("th"));
    head.appendChild(el("th", null, t.contestant));
    if (full && names) head.appendChild(el("th", "lb-full", t.unit));
    if (full) state.stages.forEach(function (s) { head.appendChild(el("th", "num lb-full", s.name)); });
    head.appendChild(el("th", "num", t.total));
    head.appendChild(el("th", null, t.award));
    var tbody = headed(table, head);
    p.rows.forEach(function (r) {
      var tr = el("tr");
      tr.dataset.code = r.code;
      if (r.pending) tr.classList.add("lb-pending");
      if (r.revealed) tr.classList.add("lb-revealed");
      if (r.current) tr.classList.add("lb-current");
      tr.appendChild(el("td", "num lb-rank", r.rank || "—"));
      var arrow = el("td", "lb-arrow");
      var before = lastRanks[r.code], now = rankNum(r.rank);
      if (before !== undefined && before !== null && now !== null && before !== now) {
        arrow.textContent = now < before ? "▲" : "▼";
        arrow.classList.add(now < before ? "lb-up" : "lb-down");
      }
      tr.appendChild(arrow);
      tr.appendChild(el("td", "lb-name", names ? r.name : r.code));
      if (full && names) tr.appendChild(el("td", "lb-full lb-unit", r.unit));
      if (full) state.stages.forEach(function (s) { tr.appendChild(el("td", "num lb-full", (r.stages || {})[s.code] || "—")); });
      tr.appendChild(el("td", "num lb-total", r.total || t.incomplete));
      tr.appendChild(awardsCell(r.awards));
      if (flash && flash[r.code]) tr.classList.add("lb-flash");
      tbody.appendChild(tr);
    });
    sec.appendChild(table);
    groupsEl.appendChild(sec);
  });
  setPageLabel(cfg.paging && !state.reveal ? page + 1 : 0, all.length);
  var cur = groupsEl.querySelector(".lb-current");
  if (cur && cur.scrollIntoView) cur.scrollIntoView({ block: "center", behavior: "smooth" });
}

function setPageLabel(n, m) {
  var pg = document.getElementById("lb-page");
  if (pg) pg.textContent = m > 1 && n ? fmt(t.page, { n: n, m: m }) : "";
}

function rememberRanks() {
  state.groups.forEach(function (g) { g.rows.forEach(function (r) { lastRanks[r.code] = rankNum(r.rank); }); });
}

function render(flash) {
  renderHeader();
  renderReveal();
  renderRows(flash);
}

function setSnapshot(snap) {
  var flash = {};
  var old = {};
  state.groups.forEach(function (g) { g.rows.forEach(function (r) { old[r.code] = JSON.stringify(r); }); });
  rememberRanks();
  snap.groups.forEach(function (g) { g.rows.forEach(function (r) { if (old[r.code] !== undefined && old[r.code] !== JSON.stringify(r)) flash[r.code] = true; }); });
  state = snap;
  render(flash);
}

function applyDelta(msg) {
  rememberRanks();
  var flash = {};
  msg.groups.forEach(function (d) {
    var g = state.groups.filter(function (x) { return x.code === d.code; })[0];
    if (!g) return;
    var byCode = {};
    g.rows.forEach(function (r) { byCode[r.code] = r; });
    d.rows.forEach(function (r) { byCode[r.code] = r; flash[r.code] = true; });
    g.rows = d.order.map(function (c) { return byCode[c]; }).filter(Boolean);
  });
  if (msg.team_standings) state.team_standings = msg.team_standings;
  state.version = msg.version;
  state.updated_at = msg.updated_at;
  render(flash);
}

function query() {
  var q = "audience=" + encodeURIComponent(cfg.audience) + "&lang=" + encodeURIComponent(cfg.lang);
  if (cfg.group) q += "&group=" + encodeURIComponent(cfg.group);
  return q;
}

function resync() {
  if (resyncing) return;
  resyncing = true;
  getJson(cfg.api + "?" + query())
    .then(function (r) { return r.json(); })
    .then(function (snap) { if (snap.version >= state.version) setSnapshot(snap); })
    .catch(function () {})
    .then(function () { resyncing = false; root.dataset.resyncs = (parseInt(root.dataset.resyncs || "0", 10) + 1); });
}

function onStandings(msg) {
  if (msg.kind === "snapshot") {
    if (msg.version < state.version) return;
    var snap = Object.assign({}, msg); delete snap.kind; delete snap.base;
    setSnapshot(snap);
    return;
  }
  if (msg.version <= state.version) return;           // already have it (or newer)
  if (msg.base !== null && state.version < msg.base) { resync(); return; }  // missed a push: gap
  applyDelta(msg);
}

function onScreen(s) {
  if (s.reload !== cfg.reload) { window.location.reload(); return; }
  document.body.classList.remove("lb-theme-dark", "lb-theme-light", "lb-cols-full", "lb-cols-compact");
  document.body.classList.add("lb-theme-" + s.theme, "lb-cols-" + s.columns);
  cfg.columns = s.columns;
  if ((s.group || "") !== (cfg.group || "")) {
    cfg.group = s.group || "";
    socket.auth.group = cfg.group;
    socket.disconnect(); socket.connect();   // rejoin the new group's room and get its snapshot
    return;
  }
  render();
}

rememberRanks();
render();
var socket = io({ transports: ["websocket", "polling"],
  auth: { competition: cfg.slug, audience: cfg.audience, group: cfg.group || "", lang: cfg.lang, screen: cfg.screen || "" } });
var conn = document.getElementById("lb-conn");
socket.on("connect", function () { if (conn) conn.hidden = true; root.dataset.connected = "1"; });
socket.on("disconnect", function () { if (conn) conn.hidden = false; root.dataset.connected = "0"; });
socket.on("standings", onStandings);
socket.on("screen", onScreen);
if (cfg.paging) pageTimer = setInterval(function () { if (!state.reveal) { page += 1; renderRows(); } }, 10000);
window.addEventListener("resize", function () { renderRows(); });
window.scoringBoard = { state: function () { return state; }, resync: resync, socket: socket, onStandings: onStandings };
