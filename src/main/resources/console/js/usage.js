import {h, fill, field, input, select, values, bar} from './dom.js';
import * as api from './api.js';
import {usd, count, UNITS, RATE_UNITS, unitName} from './format.js';

// The limits of a team or end user, shared by the teams and users pages: what is used of each (the live counters
// admission keeps), and the fields that set them.

/** What the usage endpoints take per call (LimitUsageAdmin.MAX_IDS): longer lists are asked for in batches. */
const MAX_IDS = 200;

/**
 * The live usage of ids from POST /api/reporting/team-usage or user-usage (field: teamIds or userIds),
 * as {id: usage} keyed by the answer's key field. Ids the caller may not read are left out of the answer.
 */
export async function liveUsage(path, field, ids, key) {
  const batches = [];
  for (let i = 0; i < ids.length; i += MAX_IDS) batches.push(ids.slice(i, i + MAX_IDS));
  const rows = (await Promise.all(batches.map(b => api.post(path, {[field]: b})))).flat();
  return Object.fromEntries(rows.map(r => [r[key], r.usage]));
}

/**
 * One "used / limit" line with a bar per limit a team or user has, as the keys page shows a key's; only the limits
 * that are set, '—' when none is.
 */
export function usageCell(u) {
  const lines = [];
  if (u?.costInUsd) lines.push(line('spend-total', 'Spend', u.costInUsd.spentInUsd, u.costInUsd.limitInUsd, usd, 'total'));
  if (u?.costInUsdOverTime) {
    const c = u.costInUsdOverTime;
    lines.push(line('spend-window', 'Spend', c.spentInUsd, c.limitInUsd, usd, unitName(c.unit)));
  }
  if (u?.requests) lines.push(line('requests', 'Requests', u.requests.used, u.requests.limit, count, unitName(u.requests.unit)));
  if (u?.tokens) lines.push(line('tokens', 'Tokens', u.tokens.used, u.tokens.limit, count, unitName(u.tokens.unit)));
  if (u?.concurrentRequests) {
    const c = u.concurrentRequests;
    lines.push(line('in-flight', 'In flight', c.inFlight, c.limit, count, ''));
  }
  return lines.length ? h('div.usage-lines', ...lines) : h('span.muted', '—');
}

function line(kind, label, used, limit, fmt, unit) {
  const u = Number(used) || 0;
  return h('span.limit', {dataset: {usage: kind}},
    h('span', label + ' ' + fmt(u) + ' / ' + fmt(limit) + (unit ? ' ' + unit : '')), bar(limit ? u / limit : 0));
}

/** The limit fields of a team or end user, filled with t's. */
export function limitFields(t = {}) {
  return [
    field('Spend limit (USD, total)', input('costLimitInUsd', {type: 'number', step: 'any', min: 0, value: t.costLimitInUsd || ''})),
    field('Spend per window', input('costLimitInUsdOverTime', {type: 'number', step: 'any', min: 0, value: t.costLimitInUsdOverTime || ''})),
    field('Window', select('costLimitInUsdUnit', UNITS, t.costLimitInUsdUnit || '')),
    field('Requests', input('rateLimitOverTime', {type: 'number', min: 0, value: t.rateLimitOverTime || ''})),
    field('per', select('rateLimitUnit', RATE_UNITS, t.rateLimitUnit || '')),
    field('Tokens', input('tokenLimitOverTime', {type: 'number', min: 0, value: t.tokenLimitOverTime || ''})),
    field('per', select('tokenLimitUnit', RATE_UNITS, t.tokenLimitUnit || '')),
    field('Max in flight', input('maxConcurrentRequests', {type: 'number', min: 0, value: t.maxConcurrentRequests || ''})),
  ];
}

/**
 * The limits of limitFields' values as the team and user APIs take them: every limit given, an empty one as
 * 0 (which removes it), a window's unit only with its amount (the APIs refuse a unit without one).
 */
export function limitBody(v) {
  const out = {costLimitInUsd: Number(v.costLimitInUsd || 0)};
  amountAndUnit(out, v, 'costLimitInUsdOverTime', 'costLimitInUsdUnit');
  amountAndUnit(out, v, 'rateLimitOverTime', 'rateLimitUnit');
  amountAndUnit(out, v, 'tokenLimitOverTime', 'tokenLimitUnit');
  out.maxConcurrentRequests = Number(v.maxConcurrentRequests || 0);
  return out;
}

function amountAndUnit(out, v, amount, unit) {
  out[amount] = Number(v[amount] || 0);
  out[unit] = out[amount] ? v[unit] : '';
}

/**
 * A "Limits" button that turns box into an inline form of row's limits; Save sends them to
 * save(body) and redraws the page, Cancel redraws it as it was.
 */
export function limitsButton(box, row, ctx, save) {
  return h('button.small', {type: 'button', dataset: {action: 'limits'}, onclick: () => {
    const form = h('form.inline', limitFields(row), h('button.small', {type: 'submit'}, 'Save'),
      h('button.small', {type: 'button', onclick: () => ctx.rerender()}, 'Cancel'));
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      try { await save(limitBody(values(form))); await ctx.rerender(); } catch (e) { ctx.fail(e); }
    });
    fill(box, form);
  }}, 'Limits');
}
