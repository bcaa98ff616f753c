// Every value reaches the page as text: elements are built here with textContent and text nodes, never from markup strings (issue 21.6).

/** h('div#id.card', {onclick: f, title: 'x'}, child, 'text', [more]) — children are nodes or strings (shown as text). */
export function h(spec, attrs, ...children) {
  const [head, ...classes] = spec.split('.');
  const [tag, id] = head.split('#');
  const el = document.createElement(tag || 'div');
  if (id) el.id = id;
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (k === 'style') throw new Error('no inline styles: the CSP forbids them');
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: columns [{title, cell(row) → node|string, cls}] and rows. */
export function table(columns, rows, opts = {}) {
  const head = h('thead', h('tr', columns.map(c => h('th' + (c.cls ? '.' + c.cls : ''), c.title))));
  const body = h('tbody');
  if (!rows.length) body.appendChild(h('tr', h('td.muted', {colspan: columns.length}, opts.empty || 'Nothing yet.')));
  for (const r of rows) {
    const tr = h('tr', columns.map(c => h('td' + (c.cls ? '.' + c.cls : ''), c.cell(r))));
    if (opts.rowClass) { const cls = opts.rowClass(r); if (cls) tr.classList.add(cls); }
    body.appendChild(tr);
    if (opts.after) { const extra = opts.after(r, columns.length); if (extra) body.appendChild(extra); }
  }
  return h('table.grid', head, body);
}

/** A labelled form field. */
export function field(label, input, hint) {
  return h('label.field', h('span.label', label), input, hint ? h('span.hint', hint) : null);
}

export function input(name, attrs = {}) {
  return h('input', {name, type: 'text', ...attrs});
}

export function select(name, options, value) {
  return h('select', {name}, options.map(o => {
    const [v, label] = Array.isArray(o) ? o : [o, o];
    const opt = h('option', {value: v}, label);
    if (v === value) opt.selected = true;
    return opt;
  }));
}

/** A horizontal bar whose width is set through the CSSOM (allowed by the CSP, unlike a style attribute). */
export function bar(fraction) {
  const inner = h('span.bar-fill');
  inner.style.width = Math.max(0, Math.min(1, fraction || 0)) * 100 + '%';
  return h('span.bar', inner);
}

/** The values of a form's named fields, trimmed. */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    out[el.name] = el.type === 'checkbox' ? el.checked : el.value.trim();
  }
  return out;
}

/**
 * A cursor-paged page's search form: the page's own fields, then the UTC time range; a search starts again from the
 * first page (the cursors kept in state.cursors are dropped) and re-renders the page.
 */
export function searchForm(state, rerender, ...fields) {
  const form = h('form.filters', ...fields,
    field('From (UTC)', input('from', {value: state.from, type: 'datetime-local'})),
    field('To (UTC)', input('to', {value: state.to, type: 'datetime-local'})),
    h('button', {type: 'submit'}, 'Search'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    Object.assign(state, values(form), {cursors: [null]});
    rerender();
  });
  return form;
}
