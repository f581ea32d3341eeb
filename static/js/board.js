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
/* A big group (scoring/live_window.py) comes by window: this board's page, or the row a phone follows,
 * with the group's leaders and counts; turning a page asks the server for the next window. */
var win = cfg.window;

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
  // the state's own label already says "live (provisional)" or "final results": said once, not twice
  if (kind) kind.textContent = state.view.standings && state.state === "frozen" ? (state.final ? t.final : t.provisional) : "";
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

// ------------------------------------------------------------------ paging to the screen's height
var BOTTOM_GAP = 12;   // px kept free under the table
var STRETCH = 1.6;     // a short page's rows grow at most this much to fill the height

/** Heights of one page's parts as this screen draws them: the group heading with the table's header
 * row ("fixed") and one row, measured on a hidden one-row copy (fonts and columns are the screen's). */
function measure(g) {
  var probe = section({ g: g, rows: g.rows.slice(0, 1) });
  probe.classList.add("lb-probe");
  groupsEl.appendChild(probe);
  var h2 = probe.querySelector("h2"), cs = getComputedStyle(h2);
  var row = probe.querySelector("tbody tr");
  var out = { fixed: h2.offsetHeight + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom) +
    probe.querySelector("thead").offsetHeight, row: row ? row.offsetHeight : 40 };
  groupsEl.removeChild(probe);
  return out;
}

/** A board following a session (场次, ?session=): only the contestants seated in it, with their
 * ranks in the group; groups without any are left out. */
function shownGroups() {
  if (!cfg.session) return state.groups;
  return state.groups.map(function (g) {
    return Object.assign({}, g, { rows: g.rows.filter(function (r) { return r.session === cfg.session; }) });
  }).filter(function (g) { return g.rows.length; });
}

/** The pages of a paging board: as many rows as fit the height left under the header, each group's
 * rows spread evenly over its pages (16 + 16 + 16 + 16 + 14, not 17 × 4 + 10), every row of a page as
 * tall as makes the page fill the height. Not paging (phone, ceremony): one page per group. */
function pages() {
  if (win) return windowPages();
  var out = [];
  var groups = shownGroups();
  var withRows = groups.filter(function (g) { return g.rows.length; })[0];
  if (!cfg.paging || state.reveal || !withRows) {
    groups.forEach(function (g) { out.push({ g: g, rows: g.rows }); });
    (state.team_standings || []).forEach(function (ts) { out.push({ team: ts }); });
    return out;
  }
  var m = measure(withRows);
  var avail = window.innerHeight - groupsEl.getBoundingClientRect().top - BOTTOM_GAP - m.fixed;
  var most = Math.max(3, Math.floor(avail / m.row));
  groups.forEach(function (g) {
    if (!g.rows.length) { out.push({ g: g, rows: [] }); return; }
    var count = Math.ceil(g.rows.length / most), per = Math.ceil(g.rows.length / count);
    var rowH = Math.floor(Math.min(avail / per, m.row * STRETCH));
    for (var i = 0; i < g.rows.length; i += per) out.push({ g: g, rows: g.rows.slice(i, i + per), rowH: rowH });
  });
  (state.team_standings || []).forEach(function (ts) { out.push({ team: ts }); });
  return out;
}

/** A windowed board's pages, from the group index (rows counted on the server): each group's count
 * spread evenly over pages of what fits, as above; the page's rows come when its window arrives. */
function windowPages() {
  var out = [];
  var g = state.groups[0];
  var index = (state.index || []).filter(function (x) { return !cfg.group || x.code === cfg.group; });
  if (!cfg.paging || !g || state.reveal) {
    if (g && cfg.paging) out.push({ g: g, rows: g.rows });   // the award reveal: its window as it is
    else if (g) {
      out.push({ g: Object.assign({}, g, { name: g.name + " · " + t.leaders }), rows: g.leaders || [] });
      if (win.follow) out.push({ g: Object.assign({}, g, { name: t.following }), rows: g.rows, none: t.followNone });
    }
    (state.team_standings || []).forEach(function (ts) { out.push({ team: ts }); });
    return out;
  }
  var sample = g.rows[0] || (g.leaders || [])[0];
  var m = sample ? measure(Object.assign({}, g, { rows: [sample] })) : { fixed: 80, row: 40 };
  var avail = window.innerHeight - groupsEl.getBoundingClientRect().top - BOTTOM_GAP - m.fixed;
  var most = Math.min(cfg.pageMax || 40, Math.max(3, Math.floor(avail / m.row)));
  index.forEach(function (x) {
    if (!x.count) { out.push({ g: x, rows: [], want: { group: x.code, start: 0, size: most } }); return; }
    var count = Math.ceil(x.count / most), per = Math.ceil(x.count / count);
    var rowH = Math.floor(Math.min(avail / per, m.row * STRETCH));
    for (var i = 0; i < x.count; i += per) out.push({ g: x, rowH: rowH, want: { group: x.code, start: i, size: per } });
  });
  (state.team_standings || []).forEach(function (ts) { out.push({ team: ts }); });
  return out;
}

/** Ask for the window a page shows (over the socket); the page is drawn when its snapshot comes. */
function askWindow(want) {
  win = Object.assign({}, win, want, { session: cfg.session || "", follow: win.follow || "" });
  socket.auth.window = win;
  socket.emit("window", win);
}

function sameWindow(a, b) {
  return a && b && a.group === b.group && a.start === b.start && a.size === b.size;
}

function section(p, flash) {
  var full = cfg.columns !== "compact";
  var names = state.view.names;
  var sec = el("section", "lb-group");
  sec.dataset.group = p.g.code;
  if (p.rowH) sec.style.setProperty("--lb-row-h", p.rowH + "px");   // CSSOM, not a style attribute: CSP-safe
  var by = p.g.ranked_by;   // totals not published yet: the rows stand by a published stage (services.staged_read)
  sec.appendChild(el("h2", null, by ? p.g.name + " · " + fmt(t.rankedBy, { stage: by.name }) : p.g.name));
  var table = el("table", "lb-table");
  var head = el("tr");
  head.appendChild(el("th", "num lb-c-rank", t.rank));
  head.appendChild(el("th", "lb-c-arrow"));
  head.appendChild(el("th", "lb-c-name", t.contestant));
  if (full && names) head.appendChild(el("th", "lb-full lb-c-unit", t.unit));
  if (full) state.stages.forEach(function (s) { head.appendChild(el("th", "num lb-full lb-c-stage", s.name)); });
  head.appendChild(el("th", "num lb-c-total", by && !full ? by.name : t.total));
  // a declared cross-group standardisation: its score beside the raw total, never instead of it
  var scaled = full && p.g.rows.some(function (r) { return "standardised" in r; });
  if (scaled) head.appendChild(el("th", "num lb-full lb-c-std", t.standardised));
  head.appendChild(el("th", "lb-c-award", t.award));
  var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
  var tbody = el("tbody");
  p.rows.forEach(function (r) {
    var tr = el("tr");
    tr.dataset.code = r.code;
    if (r.pending) tr.classList.add("lb-pending");
    if (r.revealed) tr.classList.add("lb-revealed");
    if (r.current) tr.classList.add("lb-current");
    tr.appendChild(el("td", "num lb-rank", (by ? (r.stage_ranks || {})[by.code] : r.rank) || "—"));
    tr.appendChild(arrowCell(lastRanks[r.code], r.rank));
    tr.appendChild(nameCell(r, names));
    if (full && names) tr.appendChild(el("td", { "class": "lb-full lb-unit", title: r.unit }, r.unit));
    if (full) state.stages.forEach(function (s) { tr.appendChild(el("td", "num lb-full", (r.stages || {})[s.code] || "—")); });
    tr.appendChild(el("td", "num lb-total", r.total || outText(r) || (by ? (full ? t.notPublished : (r.stages || {})[by.code]) : "") || t.incomplete));
    if (scaled) tr.appendChild(el("td", "num lb-full lb-std", r.standardised || "—"));
    if (outText(r)) tr.classList.add("lb-out");
    var aw = el("td", "lb-awards");
    (r.awards || []).forEach(function (a) { aw.appendChild(el("span", "lb-award", a)); });
    tr.appendChild(aw);
    if (flash && flash[r.code]) tr.classList.add("lb-flash");
    tbody.appendChild(tr);
  });
  table.appendChild(tbody);
  sec.appendChild(table);
  return sec;
}

// A withdrawn or absent contestant (弃权/缺考) says so, with the reason: never a 0, never "incomplete".
function outText(r) {
  var word = r.status && (t.out || {})[r.status];
  return word ? word + (r.reason ? ": " + r.reason : "") : "";
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

/* A row's name; a team entry (团体项目) adds its members' names, sent only where names are public. */
function nameCell(r, names) {
  var members = names && r.members ? r.members.map(function (m) { return m.name; }) : [];
  var td = el("td", { "class": "lb-name", title: names ? [r.name].concat(members).join(" · ") : r.code },
    names ? r.name : r.code);
  if (members.length) td.appendChild(el("span", "lb-members", members.join(cfg.lang === "en" ? ", " : "、")));
  return td;
}

function arrowCell(before, rank) {
  var arrow = el("td", "lb-arrow"), now = rankNum(rank);
  if (before !== undefined && before !== null && now !== null && before !== now) {
    arrow.textContent = now < before ? "▲" : "▼";
    arrow.classList.add(now < before ? "lb-up" : "lb-down");
  }
  return arrow;
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
  var all = pages();
  if (page >= all.length) page = 0;
  var shown = cfg.paging && !state.reveal ? [all[page]].filter(Boolean) : all;
  if (win && cfg.paging && shown[0] && shown[0].want) {
    var g = state.groups[0], cur = { group: win.group, start: win.start, size: win.size };
    if (!g || !sameWindow(shown[0].want, cur) || g.code !== shown[0].want.group) {
      if (socket) askWindow(shown[0].want);   // drawn again when the window arrives
    }
    shown = g ? [{ g: g, rows: g.rows, rowH: shown[0].rowH }] : [];
  }
  shown.forEach(function (p) {
    groupsEl.appendChild(p.team ? renderTeam(p.team) : section(p, flash));
    if (p.none && !p.rows.length) groupsEl.appendChild(el("p", "muted lb-follow-none", p.none));
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

// ------------------------------------------------------------------ the "latest changes" strip
/* Why a strip: a paging board shows a changed row only when its page comes round (a minute on a big
 * group), while the hall wants to see the mark that just came in. The strip lists the last few rows
 * whose score changed, from the rows this board already holds: the same frame, cut by the same
 * visibility policy (anonymous codes before the reveal), so it can show nothing the table could not.
 * It shows only live standings: embargoed, frozen and final boards get no strip. */
var LATEST_MAX = 4;
var latest = [];   // newest first: { code, before (rank then), stage (the first stage whose score changed) }

/** A value as text with its keys in order: the server's snapshot and its pushes may list a row's
 * keys in different orders, which is no change. */
function stable(v) {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(stable).join(",") + "]";
  return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + stable(v[k]); }).join(",") + "}";
}
function scoreOf(r) { return stable([r.total, r.stages || {}]); }

function noteChanges(oldRows, groups) {
  groups.forEach(function (g) {
    g.rows.forEach(function (r) {
      var was = oldRows[r.code];
      if (!was || scoreOf(was) === scoreOf(r)) return;
      latest = latest.filter(function (x) { return x.code !== r.code; });
      var stage = (state.stages || []).filter(function (st) {
        return ((was.stages || {})[st.code] || null) !== ((r.stages || {})[st.code] || null);
      })[0];
      latest.unshift({ code: r.code, before: rankNum(was.rank), stage: stage || null, row: r });
    });
  });
  latest = latest.slice(0, LATEST_MAX);
}

function latestShown() {
  return state.view.source === "live" && !state.final && !state.reveal;
}

function renderLatest(flash) {
  var box = document.getElementById("lb-latest");
  if (!box) return;
  box.hidden = !latestShown();
  if (box.hidden) { latest = []; return; }
  var rows = {}, groupOf = {};
  state.groups.forEach(function (g) { g.rows.forEach(function (r) { rows[r.code] = r; groupOf[r.code] = g.name; }); });
  latest = latest.filter(function (x) { return rows[x.code] || x.row; });
  var list = box.querySelector("ol");
  list.textContent = "";
  if (!latest.length) list.appendChild(el("li", "lb-latest-none", t.latestNone));
  latest.forEach(function (x) {
    var r = rows[x.code] || x.row, names = state.view.names;
    var li = el("li", { "class": "lb-latest-item" + (flash && flash[r.code] ? " lb-flash-item" : ""), "data-code": r.code },
      el("span", "lb-latest-rank", r.rank || "—"),
      el("span", "lb-latest-who", names ? r.name : r.code),
      state.groups.length > 1 && groupOf[r.code] ? el("span", "lb-latest-group", groupOf[r.code]) : null,
      // no total yet (other marks missing): the stage score that changed says what moved
      el("span", "lb-latest-total", r.total || (x.stage && (r.stages || {})[x.stage.code]
        ? x.stage.name + " " + r.stages[x.stage.code] : t.incomplete)));
    var arrow = arrowCell(x.before, r.rank);
    if (arrow.textContent) li.appendChild(el("span", "lb-latest-arrow " + arrow.className.replace("lb-arrow", ""), arrow.textContent));
    list.appendChild(li);
  });
}

/* A windowed board's leaders (the first rows of its group): the podium stays in view on every page. */
function renderLeaders() {
  var box = document.getElementById("lb-leaders");
  if (!box) return;
  var g = state.groups[0];
  box.hidden = !(win && cfg.paging && state.view.standings && g && (g.leaders || []).length && !state.reveal);
  if (box.hidden) return;
  var list = box.querySelector("ol");
  list.textContent = "";
  g.leaders.forEach(function (r) {
    list.appendChild(el("li", { "class": "lb-latest-item", "data-code": r.code },
      el("span", "lb-latest-rank", r.rank || "—"),
      el("span", "lb-latest-who", state.view.names ? r.name : r.code),
      el("span", "lb-latest-total", r.total || outText(r) || t.incomplete)));
  });
}

function render(flash) {
  renderHeader();
  renderLatest(flash);
  renderLeaders();
  renderReveal();
  renderRows(flash);
}

function rowsByCode(groups) {
  var out = {};
  groups.forEach(function (g) { g.rows.forEach(function (r) { out[r.code] = r; }); });
  return out;
}

function setSnapshot(snap) {
  var flash = {};
  var old = rowsByCode(state.groups);
  var sameFrame = snap.state === state.state && snap.view.names === state.view.names && snap.view.source === state.view.source;
  rememberRanks();
  snap.groups.forEach(function (g) { g.rows.forEach(function (r) { if (old[r.code] !== undefined && stable(old[r.code]) !== stable(r)) flash[r.code] = true; }); });
  if (sameFrame) noteChanges(old, snap.groups); else latest = [];
  state = snap;
  render(flash);
}

/** A windowed delta: entering rows whole, moved rows as patches, the order when it changed, and the
 * round's changed scores for the strip (rows this board may not hold). */
function applyWindowDelta(msg) {
  rememberRanks();
  var flash = {};
  msg.groups.forEach(function (d) {
    var g = state.groups.filter(function (x) { return x.code === d.code; })[0];
    if (!g) return;
    var byCode = {};
    g.rows.forEach(function (r) { byCode[r.code] = r; });
    (d.rows || []).forEach(function (r) { byCode[r.code] = r; flash[r.code] = true; });
    (d.patch || []).forEach(function (p) {
      byCode[p.code] = Object.assign({}, byCode[p.code], p);
      if ("total" in p || "stages" in p || "status" in p) flash[p.code] = true;
    });
    if (d.order) g.rows = d.order.map(function (c) { return byCode[c]; }).filter(Boolean);
    else g.rows = g.rows.map(function (r) { return byCode[r.code]; });
    ["count", "start", "leaders"].forEach(function (k) { if (k in d) g[k] = d[k]; });
  });
  (msg.latest || []).slice().reverse().forEach(function (x) {
    latest = latest.filter(function (y) { return y.code !== x.row.code; });
    var stage = (state.stages || []).filter(function (st) { return st.code === x.stage; })[0];
    latest.unshift({ code: x.row.code, before: rankNum(x.before), stage: stage || null, row: x.row });
    flash[x.row.code] = true;
  });
  latest = latest.slice(0, LATEST_MAX);
  if (msg.index) state.index = msg.index;
  if (msg.team_standings) state.team_standings = msg.team_standings;
  state.version = msg.version;
  state.updated_at = msg.updated_at;
  render(flash);
}

function applyDelta(msg) {
  if (win) { applyWindowDelta(msg); return; }
  rememberRanks();
  var flash = {};
  var old = rowsByCode(state.groups);
  msg.groups.forEach(function (d) {
    var g = state.groups.filter(function (x) { return x.code === d.code; })[0];
    if (!g) return;
    var byCode = {};
    g.rows.forEach(function (r) { byCode[r.code] = r; });
    d.rows.forEach(function (r) { byCode[r.code] = r; flash[r.code] = true; });
    g.rows = d.order.map(function (c) { return byCode[c]; }).filter(Boolean);
  });
  noteChanges(old, msg.groups);
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
  if (win) { if (socket) socket.emit("window", win); return; }   // the window's snapshot, over the socket
  if (resyncing) return;
  resyncing = true;
  getJson(cfg.api + "?" + query())
    .then(function (r) { return r.json(); })
    .then(function (snap) { if (snap.version >= state.version) setSnapshot(snap); })
    .catch(function () {})
    .then(function () { resyncing = false; root.dataset.resyncs = (parseInt(root.dataset.resyncs || "0", 10) + 1); });
}

var tickTimer = null;
function onStandings(msg) {
  if (msg.kind === "tick") {   // several processes: a version exists; its window push may come from here or not
    if (!win || msg.version <= state.version) return;
    clearTimeout(tickTimer);
    tickTimer = setTimeout(function () { if (state.version < msg.version) resync(); }, 400);
    return;
  }
  if (msg.kind === "snapshot") {
    if (win && msg.window) {
      if (!sameWindow(msg.window, win) || msg.window.follow !== (win.follow || "")) return;   // an older page's
    } else if (msg.version < state.version) return;
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
    if (win) { win = Object.assign({}, win, { group: cfg.group || win.group, start: 0 }); socket.auth.window = win; page = 0; }
    socket.disconnect(); socket.connect();   // rejoin the new group's room and get its snapshot
    return;
  }
  render();
}

rememberRanks();
render();
var socket = io({ transports: ["websocket", "polling"],
  auth: { competition: cfg.slug, audience: cfg.audience, group: cfg.group || "", lang: cfg.lang, screen: cfg.screen || "",
          window: win || undefined } });
var conn = document.getElementById("lb-conn");
socket.on("connect", function () { if (conn) conn.hidden = true; root.dataset.connected = "1"; });
socket.on("disconnect", function () { if (conn) conn.hidden = false; root.dataset.connected = "0"; });
socket.on("standings", onStandings);
socket.on("screen", onScreen);
if (win && cfg.paging) renderRows();   // now the page this screen fits can be asked for
if (cfg.paging) pageTimer = setInterval(function () { if (!state.reveal) { page += 1; renderRows(); } }, 10000);
window.addEventListener("resize", function () { renderRows(); });
window.scoringBoard = { state: function () { return state; }, resync: resync, socket: socket, onStandings: onStandings,
  next: function () { page += 1; renderRows(); } };
