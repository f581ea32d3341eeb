/* The judge's sheet as DOM nodes (the contestant list, the marking form, the review table) and the
 * entry rules they show. State in, nodes out: judge.js keeps the state, the outbox and the network.
 */
import { el, fmt } from './common.js';

// ------------------------------------------------------------------ exact decimals (ten-thousandths)
export function units(s) {
  // the server's rule (scoring/rules/numbers.py): plain ASCII digits, at most 12 whole digits and
  // 4 places (trailing zeros aside), no exponent, no "+", no ".5" or "3.", no "-0"
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

/** Why ``raw`` is not an allowed entry for aspect ``a`` (translated), or null. */
export function problem(a, raw, T) {
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

/** The list of contestants: one button each, with its status and unsent count. */
export function contestantItems(sheet, current, view) {
  var T = view.T;
  return sheet.contestants.map(function (c) {
    var n = view.pendingFor(c.ref);
    return el('li', null, el('button', { type: 'button', 'class': 'jdg-pick jdg-st-' + c.status + (c.ref === current ? ' jdg-current' : ''),
      'data-ref': c.ref, 'data-testid': 'pick-' + c.ref, 'data-status': c.status },
      el('span', 'jdg-station', T.station + ' ' + (c.station || '—')),
      el('span', 'jdg-code', c.ref),
      el('span', 'jdg-status', (T['status_' + c.status] || c.status) + (n ? ' · ' + fmt(T.unsent, { n: n }) : ''))));
  });
}

function entry(a, raw, locked, T) {
  if (a.type === 'judgement') {
    var top = parseInt(a.max || a.scale_max || '3', 10), levels = [];
    for (var k = 0; k <= top; k++) {
      levels.push(el('button', { type: 'button', 'class': 'jdg-level', role: 'radio', 'aria-checked': String(String(raw) === String(k)),
        'data-set': k, 'data-testid': 'level-' + a.code + '-' + k, disabled: locked },
        el('b', null, k), el('small', null, (a.descriptors || [])[k] || '')));
    }
    return el('div', { 'class': 'jdg-levels', role: 'radiogroup' }, levels);
  }
  if (a.type === 'deduction') {
    return el('div', 'jdg-counter',
      el('button', { type: 'button', 'class': 'jdg-big', 'data-dec': true, 'aria-label': '−', disabled: locked }, '−'),
      el('output', { 'class': 'jdg-count', 'data-testid': 'count-' + a.code }, raw === '' ? '—' : raw),
      el('button', { type: 'button', 'class': 'jdg-big', 'data-inc': true, 'aria-label': '+', disabled: locked }, '+'),
      el('button', { type: 'button', 'data-set': '0', disabled: locked }, T.noFaults),
      el('small', null, T.faults + ' ≤ ' + a.max));
  }
  if (a.type === 'time') {
    var mm = '', ss = '';
    if (raw !== '' && units(raw) !== null) {
      var sec = Number(raw);
      mm = String(Math.floor(sec / 60));
      ss = String(sec - Math.floor(sec / 60) * 60);
    }
    return el('div', 'jdg-time',
      el('input', { 'class': 'jdg-big', inputmode: 'numeric', 'data-mm': true, value: mm, 'aria-label': T.minutes, disabled: locked }),
      ' ' + T.minutes + ' ',
      el('input', { 'class': 'jdg-big', inputmode: 'numeric', 'data-ss': true, value: ss, 'aria-label': T.seconds, disabled: locked }),
      ' ' + T.seconds);
  }
  return el('div', 'jdg-measure',
    el('input', { 'class': 'jdg-big jdg-num', inputmode: 'decimal', autocomplete: 'off', 'data-num': true, value: raw, disabled: locked }),
    el('small', null, fmt(T.range, { min: a.min, max: a.max, step: a.step })));
}

/** Did the technical panel declare this element invalid for contestant ``c``? It takes no mark. */
export function declaredInvalid(c, a) {
  return (c.marks[a.code] || {}).state === 'invalid';
}

function field(c, a, locked, view) {
  var T = view.T, m = c.marks[a.code] || {}, raw = view.valueOf(c, a), why = problem(a, raw, T);
  return el('div', { 'class': 'jdg-field jdg-t-' + a.type + (why ? ' jdg-invalid' : ''), 'data-aspect': a.code, 'data-type': a.type,
    'data-testid': 'field-' + a.code },
    el('div', 'jdg-label', el('strong', null, a.code), ' ' + a.name,
      a.criterion ? el('small', null, a.criterion) : null,
      m.state === 'remark' ? el('span', { 'class': 'jdg-remark', 'data-testid': 'remark-' + a.code }, fmt(T.remark, { n: m.round })) : null,
      m.version ? el('small', 'jdg-ver', m.pending ? T.pending : fmt(T.version, { v: m.version })) : null),
    declaredInvalid(c, a) ? el('p', { 'class': 'jdg-hint', 'data-testid': 'invalid-' + a.code }, T.invalidElement)
      : entry(a, raw, locked, T),
    el('span', { 'class': 'jdg-why', 'aria-live': 'polite' }, why || ''));
}

/** The marking form of contestant ``c`` on panel ``p``: header, one field per aspect, actions. */
export function sheetForm(c, p, view) {
  var T = view.T, locked = c.status === 'signed', actions;
  if (!locked) {
    actions = [el('button', { type: 'button', 'class': 'primary jdg-big', 'data-act': 'review', 'data-testid': 'review' }, T.review),
      el('button', { type: 'button', 'class': 'jdg-big', 'data-act': 'sign', 'data-testid': 'sign', disabled: c.status !== 'submitted' },
        T.sign)];
  } else {
    var waiting = view.pendingFor(c.ref) > 0;
    actions = el('span', { 'class': 'jdg-signed', 'data-testid': 'signed', 'data-pending': waiting ? '1' : null },
      waiting ? T.signedPending : T.signed);
  }
  return [
    el('header', 'jdg-sheet-head', el('h2', { 'data-testid': 'sheet-title' }, T.station + ' ' + (c.station || '—') + ' · ' + c.ref),
      el('p', null, p.name, p.trainee ? el('span', { 'class': 'jdg-trainee', 'data-testid': 'trainee-panel' }, T.trainee) : null), locked ? el('p', 'jdg-locked', T.signedNote) : null),
    el('form', { 'class': 'jdg-form', 'data-testid': 'form', novalidate: true },
      p.aspects.map(function (a) { return field(c, a, locked, view); })),
    el('div', 'jdg-actions', actions)];
}

/** The review before submitting: every aspect with its entry (blank is not zero) and its problem. */
export function reviewTable(c, p, view) {
  var T = view.T, bad = false;
  var rows = p.aspects.map(function (a) {
    var raw = view.valueOf(c, a), why = problem(a, raw, T);
    if (why) bad = true;
    if (declaredInvalid(c, a)) return el('tr', null, el('th', null, a.code + ' ' + a.name), el('td', null, T.invalidElement));
    return el('tr', raw === '' ? 'jdg-blank' : null, el('th', null, a.code + ' ' + a.name),
      el('td', null, raw === '' ? T.blank : raw, why ? ' ' : null, why ? el('span', 'jdg-why', why) : null));
  });
  return [
    el('h2', null, T.reviewTitle + ' · ' + c.ref),
    el('table', { 'class': 'jdg-review', 'data-testid': 'review-table' }, el('tbody', null, rows)),
    el('p', 'jdg-hint', T.blankNote),
    el('div', 'jdg-actions', el('button', { type: 'button', 'class': 'jdg-big', 'data-act': 'back' }, T.back),
      el('button', { type: 'button', 'class': 'primary jdg-big', 'data-act': 'submit', 'data-testid': 'submit', disabled: bad }, T.submit))];
}

/** The sign-off asks first: what will be signed (every aspect with its mark) and that only the
 * chief judge can unlock it afterwards; "confirm-sign" signs, "back" changes nothing. */
export function signConfirm(c, p, view) {
  var T = view.T, signed = p.aspects.filter(function (a) { return !declaredInvalid(c, a); });
  var rows = signed.map(function (a) {
    return el('tr', null, el('th', null, a.code + ' ' + a.name), el('td', null, view.valueOf(c, a)));
  });
  return [
    el('h2', { 'data-testid': 'sign-title' }, fmt(T.signTitle, { ref: c.ref })),
    el('p', { 'class': 'jdg-hint', 'data-testid': 'sign-facts' }, fmt(T.signFacts, { n: signed.length })),
    el('table', { 'class': 'jdg-review', 'data-testid': 'sign-table' }, el('tbody', null, rows)),
    el('p', 'jdg-locked', T.signUndo),
    el('div', 'jdg-actions', el('button', { type: 'button', 'class': 'jdg-big', 'data-act': 'back', 'data-testid': 'sign-cancel' }, T.signCancel),
      el('button', { type: 'button', 'class': 'primary jdg-big', 'data-act': 'sign-confirm', 'data-testid': 'confirm-sign' }, T.signConfirm))];
}
