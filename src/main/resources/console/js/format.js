export function usd(v) {
  const n = Number(v) || 0;
  if (n !== 0 && Math.abs(n) < 0.01) return '$' + n.toFixed(6);
  return '$' + n.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
}

export function count(v) {
  return (Number(v) || 0).toLocaleString('en-US');
}

export function pct(v) {
  return ((Number(v) || 0) * 100).toFixed(1) + '%';
}

/** Unix seconds as an ISO-like UTC time. */
export function time(sec) {
  if (!sec) return '';
  return new Date(sec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function day(sec) {
  return new Date(sec * 1000).toISOString().slice(0, 10);
}

export function short(id) {
  return id && id.length > 12 ? id.slice(0, 8) + '…' : (id || '');
}

/** Units a spend limit's window may have. */
export const UNITS = [['', '—'], ['m', 'per minute'], ['h', 'per hour'], ['d', 'per day'], ['mo', 'per month']];

/** Units a request or token limit may count in (a month is not one of them, a second is). */
export const RATE_UNITS = [['', '—'], ['s', 'per second'], ['m', 'per minute'], ['h', 'per hour'], ['d', 'per day']];

export function unitName(u) {
  return ({s: '/s', m: '/min', h: '/h', d: '/day', mo: '/month'})[u] || '';
}

/** A new gateway key secret, made in the browser so that no answer ever needs to carry it. */
export function newSecret() {
  const b = new Uint8Array(24);
  crypto.getRandomValues(b);
  return 'bk-' + Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
}

/**
 * An event as the events API writes it (snake_case, as the original's) with camelCase names for the pages; the
 * bodies and metadata are base64 there and decoded here as UTF-8 text.
 */
export function eventView(e) {
  const pick = (snake, camel) => e[snake] !== undefined ? e[snake] : e[camel];
  return {
    ...e,
    createdAt: pick('created_at', 'createdAt'), keyId: pick('key_id', 'keyId'), costInUsd: pick('cost_in_usd', 'costInUsd'),
    promptTokenCount: pick('prompt_token_count', 'promptTokenCount'),
    completionTokenCount: pick('completion_token_count', 'completionTokenCount'),
    latencyInMs: pick('latency_in_ms', 'latencyInMs'), customId: pick('custom_id', 'customId'),
    teamId: pick('team_id', 'teamId'), userId: pick('user_id', 'userId'),
    request: decode(e.request), response: decode(e.response), metadata: decode(e.metadata),
  };
}

function decode(v) {
  if (typeof v !== 'string' || v === '') return v;
  try {
    const bin = atob(v);
    return new TextDecoder('utf-8', {fatal: true}).decode(Uint8Array.from(bin, c => c.charCodeAt(0)));
  } catch (e) {
    return v; // not base64 text: shown as sent
  }
}
