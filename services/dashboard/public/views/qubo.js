// QUBO solutions: best assignment and energy per solved job; detail with the energy-over-time trace.
import { ApiError, api, path } from '../lib/api.js';
import { h, keyValues, setChildren } from '../lib/dom.js';
import { fmtEnergy, fmtInt, fmtMs, isNum, shortId } from '../lib/format.js';
import { linePlot } from '../lib/plot.js';
import { emptyRow, errorBox, jobLink, timeCell, viewHeader } from '../lib/ui.js';

const feasibleBadge = (feasible) =>
  feasible === null || feasible === undefined
    ? '—'
    : h('span', { class: `badge ${feasible ? 'state-completed' : 'state-failed'}`, 'data-testid': 'qubo-feasible' }, feasible ? 'yes' : 'no');

/** What ran, from the solution's params: requested mode, engine, auto's rule and reason. */
function planText(params) {
  if (!params || typeof params !== 'object') return '—';
  const parts = [];
  if (typeof params.mode === 'string') parts.push(`requested ${params.mode}`);
  if (typeof params.engine === 'string') parts.push(`${params.engine} engine`);
  const plan = params.plan;
  if (plan && typeof plan === 'object' && typeof plan.reason === 'string') parts.push(plan.reason);
  return parts.length === 0 ? '—' : h('span', { 'data-testid': 'qubo-plan' }, parts.join(' · '));
}

export async function quboView(root, { signal }) {
  const status = h('div', { class: 'view-status' });
  const tbody = h('tbody');
  const columns = ['Job', 'Problem', 'Kind', 'n', 'Energy', 'Value', 'Feasible', 'Time to best', 'Mode', 'Created'];
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-qubo' },
      viewHeader('QUBO solutions', { sub: 'Best assignment found by each qubo.solve job' }),
      status,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table', 'data-testid': 'qubo-table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              columns.map((c, i) => h('th', { class: i >= 3 && i <= 7 && i !== 6 ? 'num' : null }, c)),
            ),
          ),
          tbody,
        ),
      ),
    ),
  );
  try {
    const data = await api('/v1/qubo/solutions', { signal });
    if (signal.aborted) return;
    const items = Array.isArray(data?.items) ? data.items : [];
    if (items.length === 0) {
      setChildren(tbody, emptyRow(columns.length, 'No solutions yet: run a qubo.solve job.', 'qubo-empty'));
      return;
    }
    setChildren(
      tbody,
      items.map((solution) =>
        h(
          'tr',
          { 'data-testid': `qubo-row-${solution.jobId}` },
          h(
            'td',
            null,
            h(
              'a',
              { href: `#/qubo/${encodeURIComponent(solution.jobId)}`, class: 'mono', title: solution.jobId, 'data-testid': 'qubo-link' },
              shortId(solution.jobId),
            ),
          ),
          h('td', { class: 'mono' }, solution.problemId ?? '—'),
          h('td', null, solution.kind ?? '—'),
          h('td', { class: 'num' }, fmtInt(solution.n)),
          h('td', { class: 'num' }, fmtEnergy(solution.energy)),
          h('td', { class: 'num' }, fmtEnergy(solution.value)),
          h('td', null, feasibleBadge(solution.feasible)),
          h('td', { class: 'num' }, fmtMs(solution.timeToBestMs)),
          h('td', null, solution.mode ?? '—'),
          h('td', null, timeCell(solution.createdAt)),
        ),
      ),
    );
  } catch (error) {
    if (error?.name !== 'AbortError') setChildren(status, errorBox(error));
  }
}

export async function quboSolutionView(root, { params, signal }) {
  const jobId = params[0];
  const status = h('div', { class: 'view-status' });
  const body = h('div', { class: 'detail-body' });
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-qubo-solution', 'data-job-id': jobId },
      h('p', { class: 'crumbs' }, h('a', { href: '#/qubo' }, '← QUBO solutions')),
      viewHeader(h('span', null, 'Solution of job ', h('span', { class: 'mono' }, jobId))),
      status,
      body,
    ),
  );
  let solution;
  try {
    solution = await api(path('/v1/qubo/solutions', jobId), { signal });
  } catch (error) {
    if (error?.name === 'AbortError') return;
    setChildren(status, errorBox(error instanceof ApiError && error.status === 404 ? new Error(`No solution for job ${jobId}.`) : error));
    return;
  }
  if (signal.aborted) return;

  const trace = Array.isArray(solution.trace) ? solution.trace : [];
  const assignment = typeof solution.assignment === 'string' ? solution.assignment : '';
  const ones = [...assignment].filter((c) => c === '1').length;
  setChildren(
    body,
    h(
      'div',
      { class: 'card' },
      h('h2', null, 'Summary'),
      keyValues(
        [
          ['Job', jobLink(solution.jobId)],
          ['Problem', h('span', { class: 'mono' }, solution.problemId ?? '—')],
          ['Kind', solution.kind ?? '—'],
          ['Variables (n)', fmtInt(solution.n)],
          ['Energy', h('strong', { 'data-testid': 'qubo-energy' }, fmtEnergy(solution.energy))],
          ['Value', fmtEnergy(solution.value)],
          ['Feasible', feasibleBadge(solution.feasible)],
          ['Time to best', fmtMs(solution.timeToBestMs)],
          ['Mode', h('span', { 'data-testid': 'qubo-mode' }, solution.mode ?? '—')],
          ['Plan', planText(solution.params)],
          ['Created', timeCell(solution.createdAt)],
        ],
        'qubo-summary',
        { layout: 'grid' },
      ),
    ),
    h(
      'div',
      { class: 'card' },
      h('h2', null, 'Best energy over time'),
      trace.length === 0 ? h('p', { class: 'muted' }, 'No trace recorded.') : tracePlot(solution, trace),
    ),
    h(
      'div',
      { class: 'card' },
      h('h2', null, 'Assignment'),
      assignment === ''
        ? h('p', { class: 'muted' }, 'No assignment recorded.')
        : [
            h('p', { class: 'muted' }, `${fmtInt(assignment.length)} variables, ${fmtInt(ones)} set to 1.`),
            h('pre', { class: 'bits', 'data-testid': 'qubo-assignment' }, chunk(assignment, 8).join(' ')),
          ],
    ),
  );
}

/**
 * Best energy over time as a staircase. By default the time axis spans the improvements (startup
 * and the flat tail after the best hide them otherwise); the checkbox shows the whole run from 0.
 */
function tracePlot(solution, trace) {
  const slot = h('div', { class: 'plot-slot' });
  const end = isNum(solution.elapsedMs) ? solution.elapsedMs : undefined;
  const best = trace.at(-1);
  const draw = (wholeRun) =>
    setChildren(
      slot,
      linePlot({
        points: trace.map((point) => [point.tMs, point.energy]),
        step: true,
        ...(wholeRun ? { xStart: 0, xEnd: end } : {}),
        xLabel: 'time since start (ms)',
        yLabel: 'energy',
        formatX: (v) => fmtInt(v),
        formatY: fmtEnergy,
        testid: 'qubo-plot',
        title: `${trace.length} improvement${trace.length === 1 ? '' : 's'}; best energy ${fmtEnergy(best?.energy)} at ${fmtMs(best?.tMs)}${end === undefined ? '' : ` of a ${fmtMs(end)} run`}`,
      }),
    );
  const toggle = h(
    'label',
    { class: 'field toggle' },
    h('input', { type: 'checkbox', 'data-testid': 'qubo-plot-whole-run', onchange: (event) => draw(event.target.checked) }),
    h('span', null, 'show the whole run from 0'),
  );
  draw(false);
  return [toggle, slot];
}

/** "0110100111" → ["01101001", "11"]: groups of 8 bits read far more easily. */
function chunk(text, size) {
  const parts = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}
