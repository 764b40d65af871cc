/** Queries that the limits must refuse before any SQL runs; the limits test and bench/limits.bench.ts send them. */

/** `depth` levels of Asset → trades → Trade → asset, with a few fields at each. */
export function depthBomb(depth: number): string {
  let selection = '{ id }';
  for (let level = 0; level < depth; level++) {
    selection = level % 2 === 0 ? `{ trades { edges { node { asset ${selection} } } } }` : `{ id name ${selection.slice(1)}`;
  }
  return `{ asset(id: "1") ${selection} }`;
}

/** Pages nested in pages: 500 × 500 rows. */
export const COMPLEXITY_BOMB =
  '{ assets(first: 500) { edges { node { trades(first: 500) { totalCount edges { node { id portfolio { id } } } } } } } }';

/** The same costly fields under many aliases. */
export function aliasFlood(aliases: number): string {
  return `{ ${Array.from({ length: aliases }, (_, index) => `a${index}: assets(first: 100) { totalCount edges { node { id } } }`).join(' ')} }`;
}

/** Valid GraphQL whose fragments, each spread twice, expand to 2^levels fields. */
export function fragmentFanOut(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, index) => `fragment F${index} on Asset { id ...F${index + 1} ...F${index + 1} }`);
  return `{ asset(id: "1") { ...F0 } } ${fragments.join(' ')} fragment F${levels} on Asset { id name }`;
}

/** More tokens than the parser accepts. */
export function tokenFlood(aliases: number): string {
  return `{ ${Array.from({ length: aliases }, (_, index) => `a${index}: asset(id: "1") { id }`).join(' ')} }`;
}
