import {h, fill, table, field, input, select, values, bar} from '../dom.js';
import * as api from '../api.js';
import {usd, count, time, short, UNITS, RATE_UNITS, unitName, newSecret} from '../format.js';

const PAGE = 20;
const state = {name: '', tag: '', revoked: '', offset: 0};

/** Keys: one call for the page of keys (v2 list), one for their usage against their limits. */
export default async function keys(view, ctx) {
  const body = {limit: PAGE, offset: state.offset, order: 'desc', returnCount: true};
  if (state.name) body.name = state.name;
  if (state.tag) body.tags = [state.tag];
  if (state.revoked) body.revoked = state.revoked === 'revoked';
  const page = await api.post('/api/v2/key-management/keys', body);
  const list = page.keys || [];
  const usage = list.length ? await api.post('/api/reporting/key-usage', {keyIds: list.map(k => k.keyId)}) : [];
  const usageOf = Object.fromEntries(usage.map(u => [u.keyId, u]));

  const filters = h('form.filters',
    field('Name contains', input('name', {value: state.name})),
    field('Tag', input('tag', {value: state.tag})),
    field('Status', select('revoked', [['', 'any'], ['active', 'active'], ['revoked', 'revoked']], state.revoked)),
    h('button', {type: 'submit'}, 'Filter'));
  filters.addEventListener('submit', ev => {
    ev.preventDefault();
    Object.assign(state, values(filters), {offset: 0});
    ctx.rerender();
  });

  const notice = h('div.notice-slot');
  const columns = [
    {title: 'Name', cell: k => h('span.key-name', k.name || '(unnamed)')},
    {title: 'Key id', cell: k => h('code', {title: k.keyId}, short(k.keyId))},
    {title: 'Tags', cell: k => (k.tags || []).join(', ')},
    {title: 'Team', cell: k => k.teamId ? short(k.teamId) : ''},
    {title: 'Status', cell: k => k.revoked ? h('span.badge.bad', 'revoked') : h('span.badge.ok', 'active')},
    {title: 'Spend / limit', cls: 'usage', cell: k => limitCell(usageOf[k.keyId]?.totalCostInUsd, k.costLimitInUsd, usd, '')},
    {title: 'Window spend', cls: 'usage', cell: k => limitCell(usageOf[k.keyId]?.costWindow?.costInUsd, k.costLimitInUsdOverTime, usd, unitName(k.costLimitInUsdUnit))},
    {title: 'Requests / rate limit', cls: 'usage', cell: k => limitCell(usageOf[k.keyId]?.rateWindow?.requests, k.rateLimitOverTime, count, unitName(k.rateLimitUnit))},
    {title: 'Created', cell: k => time(k.createdAt)},
  ];
  if (ctx.canChange) columns.push({title: '', cls: 'actions', cell: k => actions(k, ctx, notice)});

  const total = page.count || 0;
  const pager = h('div.pager',
    h('button', {type: 'button', disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); ctx.rerender(); }}, '‹ Previous'),
    h('span', total ? `${state.offset + 1}–${state.offset + list.length} of ${total}` : 'no keys'),
    h('button', {type: 'button', disabled: state.offset + PAGE >= total, onclick: () => { state.offset += PAGE; ctx.rerender(); }}, 'Next ›'));

  fill(view, h('h1', 'Keys'),
    ctx.canChange ? createForm(ctx, notice) : null,
    notice, filters,
    table(columns, list, {empty: 'No keys match.', rowClass: k => k.revoked ? 'revoked' : ''}),
    pager);
}

function limitCell(used, limit, fmt, unit) {
  const u = used || 0;
  if (!limit) return h('span', fmt(u), h('span.muted', unit ? ' ' + unit : ''));
  return h('span.limit', h('span', fmt(u) + ' / ' + fmt(limit) + (unit ? ' ' + unit : '')), bar(u / limit));
}

function showSecret(notice, title, secret) {
  fill(notice, h('div.secret', {role: 'status'},
    h('strong', title), ' Copy it now: it is not shown again. ',
    h('code#new-secret', secret)));
}

function createForm(ctx, notice) {
  const form = h('form.create',
    h('h2', 'Create a key'),
    h('div.row',
      field('Name', input('name', {required: true})),
      field('Tags', input('tags', {placeholder: 'comma separated'})),
      field('Provider setting ids', input('settingIds', {placeholder: 'comma separated'})),
      field('Team id', input('teamId'))),
    h('div.row',
      field('Spend limit (USD, total)', input('costLimitInUsd', {type: 'number', step: 'any', min: 0})),
      field('Spend limit per window', input('costLimitInUsdOverTime', {type: 'number', step: 'any', min: 0})),
      field('Window', select('costLimitInUsdUnit', UNITS, '')),
      field('Rate limit (requests)', input('rateLimitOverTime', {type: 'number', min: 0})),
      field('per', select('rateLimitUnit', RATE_UNITS, ''))),
    h('button', {type: 'submit', id: 'create-key'}, 'Create key'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const v = values(form);
    const secret = newSecret();
    const body = {name: v.name, key: secret, tags: list(v.tags), settingIds: list(v.settingIds)};
    if (v.teamId) body.teamId = v.teamId;
    Object.assign(body, limits(v));
    try {
      await api.put('/api/key-management/keys', body);
      await ctx.rerender();
      showSecret(document.querySelector('.notice-slot'), `Key "${v.name}" created.`, secret);
    } catch (e) { ctx.fail(e); }
  });
  return form;
}

function list(s) {
  return (s || '').split(',').map(x => x.trim()).filter(Boolean);
}

function limits(v) {
  const out = {};
  if (v.costLimitInUsd !== '' && v.costLimitInUsd !== undefined) out.costLimitInUsd = Number(v.costLimitInUsd);
  if (v.costLimitInUsdOverTime) { out.costLimitInUsdOverTime = Number(v.costLimitInUsdOverTime); out.costLimitInUsdUnit = v.costLimitInUsdUnit; }
  if (v.rateLimitOverTime) { out.rateLimitOverTime = Number(v.rateLimitOverTime); out.rateLimitUnit = v.rateLimitUnit; }
  return out;
}

function actions(k, ctx, notice) {
  const box = h('span.buttons');
  const act = (label, cls, fn) => h('button.small' + (cls ? '.' + cls : ''), {type: 'button', dataset: {action: label.toLowerCase()}, onclick: async () => {
    try { await fn(); } catch (e) { ctx.fail(e); }
  }}, label);
  box.append(
    act('Limits', '', () => editLimits(k, ctx, box)),
    k.revoked
      ? act('Restore', '', async () => { await api.patch('/api/key-management/keys/' + enc(k.keyId), {revoked: false}); await ctx.rerender(); })
      : act('Revoke', 'warn', async () => { await api.patch('/api/key-management/keys/' + enc(k.keyId), {revoked: true, revokedReason: 'revoked in the console'}); await ctx.rerender(); }),
    act('Rotate', '', async () => {
      const secret = newSecret();
      await api.post('/api/key-management/keys/' + enc(k.keyId) + '/rotate', {key: secret, gracePeriod: '24h'});
      await ctx.rerender();
      showSecret(document.querySelector('.notice-slot'), `Key "${k.name}" rotated; the old secret works for 24 h.`, secret);
    }),
    act('Delete', 'danger', () => confirmThen(box, 'Delete this key?', async () => {
      await api.del('/api/key-management/keys/' + enc(k.keyId));
      await ctx.rerender();
    })));
  return box;
}

/** An inline confirmation (no window.confirm: it blocks the page and tests). */
export function confirmThen(box, question, fn) {
  const undo = Array.from(box.childNodes);
  fill(box, h('span', question + ' '),
    h('button.small.danger', {type: 'button', dataset: {action: 'confirm'}, onclick: async () => { try { await fn(); } catch (e) { fill(box, ...undo); throw e; } }}, 'Yes'),
    h('button.small', {type: 'button', onclick: () => fill(box, ...undo)}, 'No'));
}

function editLimits(k, ctx, box) {
  const form = h('form.inline',
    field('Total USD', input('costLimitInUsd', {type: 'number', step: 'any', min: 0, value: k.costLimitInUsd || ''})),
    field('USD per window', input('costLimitInUsdOverTime', {type: 'number', step: 'any', min: 0, value: k.costLimitInUsdOverTime || ''})),
    field('Window', select('costLimitInUsdUnit', UNITS, k.costLimitInUsdUnit || '')),
    field('Requests', input('rateLimitOverTime', {type: 'number', min: 0, value: k.rateLimitOverTime || ''})),
    field('per', select('rateLimitUnit', RATE_UNITS, k.rateLimitUnit || '')),
    h('button.small', {type: 'submit'}, 'Save'),
    h('button.small', {type: 'button', onclick: () => ctx.rerender()}, 'Cancel'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const v = values(form);
    const body = {costLimitInUsd: Number(v.costLimitInUsd || 0)};
    body.costLimitInUsdOverTime = Number(v.costLimitInUsdOverTime || 0);
    body.costLimitInUsdUnit = body.costLimitInUsdOverTime ? v.costLimitInUsdUnit : '';
    body.rateLimitOverTime = Number(v.rateLimitOverTime || 0);
    body.rateLimitUnit = body.rateLimitOverTime ? v.rateLimitUnit : '';
    try {
      await api.patch('/api/key-management/keys/' + enc(k.keyId), body);
      await ctx.rerender();
    } catch (e) { ctx.fail(e); }
  });
  fill(box, form);
}

export const enc = encodeURIComponent;
