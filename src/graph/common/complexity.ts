import type { ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection.js';

/*
 * Field costs for the query-complexity limit (src/http/query-limits.ts). A field costs about one
 * per object it yields: a list of n rows costs n times what each row selects (at least 1 a row),
 * while scalars cost nothing, since they are columns of a row already read.
 */

/** A full scan of asset_360 or transactions: each root aggregate and each root connection (its count). */
export const AGGREGATE_COMPLEXITY = 100;

function rows(count: number, childComplexity: number): number {
  return count * Math.max(1, childComplexity);
}

function clamp(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? Math.min(Math.max(value, 0), max) : fallback;
}

/**
 * A connection, weighted by `first`. Out-of-range values are refused by the resolver before any
 * SQL, so they are priced as the largest page. `base` is what it costs beyond its rows.
 */
export function pageComplexity(base: number): ComplexityEstimator {
  return ({ args, childComplexity }) => base + rows(clamp(args.first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE), childComplexity);
}

/** A list of about `count` rows, whatever its arguments. */
export function listComplexity(count: number, base = 1): ComplexityEstimator {
  return ({ childComplexity }) => base + rows(count, childComplexity);
}

/** A list of as many rows as an Int argument (top, months) asks for, up to its maximum. */
export function sizedListComplexity(argument: string, fallback: number, max: number, base = 1): ComplexityEstimator {
  return ({ args, childComplexity }) => base + rows(clamp(args[argument], fallback, max), childComplexity);
}

/** Groups a grouped aggregate may build for one point of cost: the statement's work beyond the rows it returns. */
export const GROUPS_PER_POINT = 100;

/**
 * A list of groups (src/graph/aggregates/): the database builds every group of the dimensions, about
 * `expectedGroups(args)`, whatever `first` returns, so the estimate of those is priced along with the
 * rows returned (at most `first`, default `fallback`, at most `max`).
 */
export function groupsComplexity(
  expectedGroups: (args: Record<string, unknown>) => number,
  fallback: number,
  max: number,
  base = AGGREGATE_COMPLEXITY,
): ComplexityEstimator {
  return ({ args, childComplexity }) => {
    const groups = expectedGroups(args);
    return base + Math.ceil(groups / GROUPS_PER_POINT) + rows(Math.min(clamp(args.first, fallback, max), groups), childComplexity);
  };
}
