/* What the page scripts share (an ES module served from /static like every asset: no build step,
 * no CDN; imported by judge.js, judge-sheet.js, judge-chief.js and board.js).
 *
 * Why DOM nodes and never HTML strings: codes, names, panel names and reasons come from organisers'
 * spreadsheets and judges' tablets. Text given to `el` becomes a text node (textContent), so it can
 * never turn into markup and nothing has to remember to escape it; the CSP (script-src 'self') is the
 * second line of defence, not the first.
 */

/** Fill `{name}` placeholders of a translated template; a name without a value stays as it is. */
export function fmt(template, params) {
  return String(template).replace(/\{(\w+)\}/g, function (m, k) { return params && k in params ? params[k] : m; });
}

/** Add children to a node: nodes as they are, strings and numbers as text; null, undefined and false
 * are skipped and arrays flattened, so a view can write `cond && el(...)` or `list.map(...)`. */
function append(node, children) {
  children.forEach(function (child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  });
}

/** A new element. `attrs` is a class name, or an object of attributes: `true` sets an empty
 * attribute (`disabled`, `data-dec`), `false`/null/undefined leaves it out, anything else is set as
 * text (write `String(bool)` for `aria-checked`). Children as in `append`. */
export function el(tag, attrs) {
  var node = document.createElement(tag);
  if (typeof attrs === 'string') node.className = attrs;
  else if (attrs) {
    Object.keys(attrs).forEach(function (name) {
      var value = attrs[name];
      if (value === true) node.setAttribute(name, '');
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, String(value));
    });
  }
  append(node, Array.prototype.slice.call(arguments, 2));
  return node;
}

/** Replace everything `target` shows with `children` (as in `append`). */
export function show(target) {
  target.textContent = '';
  append(target, Array.prototype.slice.call(arguments, 1));
}

/** A short message in the judges' notice box (#jdg-notices): newest first, four at most. */
export function notice(text, kind) {
  var box = document.getElementById('jdg-notices');
  box.prepend(el('p', 'jdg-notice ' + (kind || ''), text));
  while (box.children.length > 4) box.removeChild(box.lastChild);
}

/** GET one of our JSON endpoints with the page's cookies; resolves to the fetch Response. */
export function getJson(url) {
  return fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
}

/** POST a JSON body to one of our endpoints with the page's cookies; resolves to the fetch Response. */
export function postJson(url, body) {
  return fetch(url, { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: JSON.stringify(body) });
}
