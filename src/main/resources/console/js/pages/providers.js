import {h, fill, table, field, input, values} from '../dom.js';
import * as api from '../api.js';
import {time, short} from '../format.js';
import {enc} from './keys.js';

const KNOWN = ['openai', 'anthropic', 'azure', 'vllm', 'deepinfra', 'gemini', 'bedrock', 'mistral', 'groq', 'together', 'openrouter'];

/** Provider settings: one call; secrets come back masked from the API, and the form never reads them back. */
export default async function providers(view, ctx) {
  const list = await api.get('/api/provider-settings');
  const columns = [
    {title: 'Name', cell: s => h('span.setting-name', s.name || '(unnamed)')},
    {title: 'Provider', cell: s => s.provider},
    {title: 'Id', cell: s => h('code', {title: s.id}, short(s.id))},
    {title: 'Setting', cell: s => h('span.setting', Object.entries(s.setting || {}).map(([k, v]) => h('span.kv', h('span.k', k), '=', h('code', v))))},
    {title: 'Models', cell: s => (s.allowedModels || []).join(', ') || 'all'},
    {title: 'Updated', cell: s => time(s.updatedAt)},
    {title: '', cls: 'actions', cell: s => ctx.isAdmin ? testButton(s) : ''},
  ];
  fill(view, h('h1', 'Provider settings'), ctx.canChange ? createForm(ctx) : null,
    table(columns, list, {empty: 'No provider settings yet.'}),
    h('p.muted', 'Credentials are masked by the admin API and never sent to the browser. "Test" makes one model-list call upstream.'));
}

function testButton(s) {
  const out = h('span.test-result');
  const btn = h('button.small', {type: 'button', dataset: {action: 'test'}, onclick: async () => {
    fill(out, '…');
    try {
      const r = await api.post('/api/provider-settings/' + enc(s.id) + '/test', {});
      fill(out, h('span.badge.' + (r.ok ? 'ok' : 'bad'), r.ok ? 'ok' : 'error'), ' ', r.message, ` (${r.latencyMs} ms)`);
    } catch (e) {
      fill(out, h('span.badge.bad', 'error'), ' ', e.message);
    }
  }}, 'Test');
  return h('span.buttons', btn, out);
}

function createForm(ctx) {
  const dl = h('datalist#providers', KNOWN.map(p => h('option', {value: p})));
  const form = h('form.create', h('h2', 'Add a provider setting'),
    h('div.row',
      field('Provider', input('provider', {required: true, list: 'providers'})),
      field('Name', input('name')),
      field('API key', input('apikey', {type: 'password', autocomplete: 'off'})),
      field('Base URL (optional)', input('url', {placeholder: 'provider default'})),
      field('Allowed models', input('allowedModels', {placeholder: 'comma separated, empty = all'}))),
    dl, h('button', {type: 'submit'}, 'Add setting'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const v = values(form);
    const setting = {};
    if (v.apikey) setting.apikey = v.apikey;
    if (v.url) setting.url = v.url;
    const body = {provider: v.provider, name: v.name, setting};
    const models = v.allowedModels.split(',').map(s => s.trim()).filter(Boolean);
    if (models.length) body.allowedModels = models;
    try { await api.put('/api/provider-settings', body); await ctx.rerender(); } catch (e) { ctx.fail(e); }
  });
  return form;
}
