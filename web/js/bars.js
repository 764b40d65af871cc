import { h } from './dom.js';

// Category charts drawn as table cells: the figures stay text beside them.

export const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569'];

/** A horizontal bar for a share (0–100) inside a table cell, drawn with a CSSOM width. */
export function shareBar(percentage, color = PALETTE[0]) {
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${Math.max(0, Math.min(100, Number(percentage) || 0))}%`;
  fill.style.backgroundColor = color;
  return h('span', { class: 'bar', 'aria-hidden': 'true' }, fill);
}

/** Two bars against each other (current and target weights), scaled to the largest of a set. */
export function pairBar(first, second, max) {
  const part = (value, kind) => {
    const fill = h('span', { class: `bar-fill ${kind}` });
    fill.style.width = `${max > 0 ? Math.max(0, (Number(value) / max) * 100) : 0}%`;
    return h('span', { class: 'bar thin' }, fill);
  };
  return h('span', { class: 'pair', 'aria-hidden': 'true' }, part(first, 'current'), part(second, 'target'));
}
