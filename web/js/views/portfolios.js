import { gql } from '../api.js';
import { card, clear, h, link, message } from '../dom.js';
import { count, pnl, text } from '../format.js';
import { sortableTable } from '../table.js';

const PORTFOLIOS = `query Portfolios {
  portfolios(first: 50) { totalCount edges { node { id name owner baseCurrency costMethod pnl { currency realized unrealized } positions { weight } } } }
}`;

/** The portfolios the token may see (a VIEWER: those its token lists; the server decides). */
export async function portfoliosView(root) {
  clear(root, message('Loading…'));
  const { portfolios } = await gql(PORTFOLIOS);
  const rows = portfolios.edges.map((edge) => edge.node);
  clear(
    root,
    h('h1', { text: 'Portfolios' }),
    card(
      `${count(portfolios.totalCount)} portfolios you may see`,
      { id: 'portfolios', wide: true },
      sortableTable(
        [
          { key: 'name', label: 'Portfolio', value: (p) => p.name, cell: (p) => link(`#/portfolio/${p.id}`, p.name) },
          { key: 'owner', label: 'Owner', value: (p) => p.owner, format: text },
          { key: 'positions', label: 'Positions', value: (p) => p.positions.length, format: count, numeric: true },
          { key: 'baseCurrency', label: 'Currency', value: (p) => p.baseCurrency },
          { key: 'costMethod', label: 'Cost method', value: (p) => p.costMethod },
          { key: 'realized', label: 'Realized P&L', value: (p) => p.pnl.realized, format: pnl, numeric: true },
          { key: 'unrealized', label: 'Unrealized P&L', value: (p) => p.pnl.unrealized, format: pnl, numeric: true },
        ],
        rows,
        { id: 'portfolios-table', caption: 'Portfolios', empty: 'No portfolio is visible to this token.' },
      ),
    ),
  );
}
