import { h } from './dom.js';

/**
 * A table whose columns sort on a click of their header. A column is
 * { key, label, value(row) (what sorts), cell(row) (text or a node; value formatted by `format`
 * when absent), format, numeric }. Each cell carries data-col, each row data-id, for tests and
 * for screen readers' column headers alike.
 */
export function sortableTable(columns, rows, { sort, id, caption, empty = 'Nothing to show.' } = {}) {
  let current = sort ?? null; // { key, direction: 'asc' | 'desc' }
  const body = h('tbody');
  const headers = columns.map((column) => {
    const button = h('button', { type: 'button', class: 'sort', text: column.label, onclick: () => sortBy(column.key) });
    return h('th', { scope: 'col', class: column.numeric ? 'num' : undefined, 'data-col': column.key }, button);
  });
  const table = h(
    'table',
    { class: 'data', id },
    caption ? h('caption', { class: 'sr-only', text: caption }) : null,
    h('thead', {}, h('tr', {}, headers)),
    body,
  );

  function sortBy(key) {
    const direction = current?.key === key && current.direction === 'desc' ? 'asc' : 'desc';
    current = { key, direction };
    render();
  }

  function ordered() {
    if (!current) return rows;
    const column = columns.find((candidate) => candidate.key === current.key);
    const sign = current.direction === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const [x, y] = [column.value(a), column.value(b)];
      // Missing values last, whichever the direction.
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1;
      const order = column.numeric ? Number(x) - Number(y) : String(x).localeCompare(String(y));
      return order * sign;
    });
  }

  function render() {
    headers.forEach((th, index) => {
      const key = columns[index].key;
      th.setAttribute('aria-sort', current?.key === key ? (current.direction === 'asc' ? 'ascending' : 'descending') : 'none');
    });
    if (!rows.length) {
      body.replaceChildren(h('tr', {}, h('td', { colspan: columns.length, class: 'muted', text: empty })));
      return;
    }
    body.replaceChildren(
      ...ordered().map((row) =>
        h(
          'tr',
          { 'data-id': row.id },
          columns.map((column) => {
            const content = column.cell ? column.cell(row) : column.format ? column.format(column.value(row)) : column.value(row);
            return h('td', { class: column.numeric ? 'num' : undefined, 'data-col': column.key }, content ?? '—');
          }),
        ),
      ),
    );
  }

  render();
  return h('div', { class: 'table-wrap' }, table);
}
