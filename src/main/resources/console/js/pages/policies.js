import {h, fill, table, field, input, select, values} from '../dom.js';
import * as api from '../api.js';
import {time, short} from '../format.js';
import {enc} from './keys.js';

const ACTIONS = ['block', 'allow_but_redact', 'allow_but_warn', 'allow'];
const ENTITIES = ['email', 'phone', 'credit_debit_number', 'ssn', 'ip_address', 'international_bank_account_number', 'url', 'aws_access_key', 'mac_address', 'name'];

/** Routes and policies: two calls; each policy has a box to try a text against it (a dry run, nothing stored). */
export default async function policies(view, ctx) {
  const [routes, pols] = await Promise.all([api.get('/api/routes'), api.get('/api/policies')]);
  const routeTable = table([
    {title: 'Path', cell: r => h('code', r.path)},
    {title: 'Name', cell: r => r.name || ''},
    {title: 'Steps', cell: r => (r.steps || []).map(s => s.provider + (s.model ? ':' + s.model : '')).join(' → ')},
    {title: 'Keys', cell: r => (r.keyIds || []).map(short).join(', ')},
    {title: 'Updated', cell: r => time(r.updatedAt)},
  ], routes || [], {empty: 'No routes.'});
  const policyTable = table([
    {title: 'Name', cell: p => h('span.policy-name', p.name || '(unnamed)')},
    {title: 'Id', cell: p => h('code', {title: p.id}, short(p.id))},
    {title: 'Entities', cell: p => Object.entries((p.config && p.config.rules) || {}).map(([k, v]) => k + ': ' + v).join(', ')},
    {title: 'Regex rules', cell: p => ((p.regexConfig && p.regexConfig.rules) || []).map(r => r.definition + ' → ' + r.action).join('; ')},
    {title: 'Custom rules', cell: p => String(((p.customConfig && p.customConfig.rules) || []).length)},
  ], pols || [], {empty: 'No policies.', after: (p, n) => h('tr.tryrow', h('td', {colspan: n}, tryBox(p)))});
  fill(view, h('h1', 'Routes & policies'),
    h('h2', 'Policies'), ctx.canChange ? createForm(ctx) : null, policyTable,
    h('h2', 'Routes'), routeTable);
}

function tryBox(p) {
  const text = h('textarea', {name: 'text', rows: 2, placeholder: 'Try a text against "' + (p.name || p.id) + '", e.g. mail me at jane@example.com'});
  const out = h('div.try-result');
  const form = h('form.try', text, h('button.small', {type: 'submit', dataset: {action: 'try'}}, 'Try'), out);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const r = await api.post('/api/policies/' + enc(p.id) + '/test', {text: text.value});
      fill(out, h('span.badge.' + (r.action === 'blocked' ? 'bad' : r.action === 'allowed' ? 'ok' : 'warnb'), r.action), ' ',
        r.fired && r.fired.length ? 'rules: ' + r.fired.join(', ') + ' ' : '',
        h('div', h('span.muted', 'Forwarded as: '), h('code.redacted', r.text)),
        r.notEvaluated && r.notEvaluated.length ? h('div.muted', 'Not evaluated in a dry run: ' + r.notEvaluated.join(', ')) : null);
    } catch (e) {
      fill(out, h('span.badge.bad', 'error'), ' ', e.message);
    }
  });
  return form;
}

function createForm(ctx) {
  const form = h('form.create', h('h2', 'Create a policy'),
    h('div.row', field('Name', input('name', {required: true})),
      field('Entity', select('entity', [['', '—'], ...ENTITIES], '')),
      field('Entity action', select('entityAction', ACTIONS, 'allow_but_redact')),
      field('Regex', input('regex', {placeholder: 'e.g. secret-[0-9]+'})),
      field('Regex action', select('regexAction', ACTIONS, 'block'))),
    h('button', {type: 'submit'}, 'Create policy'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const v = values(form);
    const body = {name: v.name, config: {rules: {}}, regexConfig: {rules: []}};
    if (v.entity) body.config.rules[v.entity] = v.entityAction;
    if (v.regex) body.regexConfig.rules.push({definition: v.regex, action: v.regexAction});
    try { await api.post('/api/policies', body); await ctx.rerender(); } catch (e) { ctx.fail(e); }
  });
  return form;
}
