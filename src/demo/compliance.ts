import type { AssetPlan } from './assets.js';
import { COMPLIANCE_RULES, type ComplianceRule, isBelowInvestmentGrade } from './catalog.js';
import type { PortfolioPlan } from './parties.js';
import { Random } from './random.js';

export type ComplianceStatus = 'PASS' | 'VIOLATION' | 'WAIVED';

export interface ComplianceCheck {
  /** Business-day index. */
  day: number;
  rule: ComplianceRule;
  status: ComplianceStatus;
  details: string | null;
}

const DAYS_BETWEEN_CHECKS: readonly [number, number] = [19, 23];
/** An open violation is looked at again a week later. */
const DAYS_TO_FOLLOW_UP = 5;
const CONTROVERSIAL_SECTORS = new Set(['Energy', 'Materials', 'Utilities']);

/**
 * About monthly checks of every rule that applies to the asset, from early in the calendar to its last priced day.
 * Each (asset, rule) follows a small Markov chain: most never fail, some fail now and then, and a
 * violation is later resolved, waived, or still open at the end.
 */
export function* complianceChecks(plan: AssetPlan, portfolios: readonly PortfolioPlan[], seed: number): Generator<ComplianceCheck> {
  if (plan.lastDay < 0) return;
  for (const [ruleIndex, rule] of COMPLIANCE_RULES.entries()) {
    if (!applies(rule, plan)) continue;
    const random = new Random(seed, 'compliance', plan.id, ruleIndex);
    const propensity = violationPropensity(rule, plan, random);
    let status: ComplianceStatus = 'PASS';
    for (let day = random.int(0, Math.min(DAYS_BETWEEN_CHECKS[0], plan.lastDay)); day <= plan.lastDay;) {
      status = nextStatus(status, propensity, random);
      yield { day, rule, status, details: status === 'PASS' ? null : explain(rule, status, plan, random.pick(portfolios), random) };
      day += status === 'VIOLATION' ? DAYS_TO_FOLLOW_UP : random.int(...DAYS_BETWEEN_CHECKS);
    }
  }
}

function applies(rule: ComplianceRule, plan: AssetPlan): boolean {
  if (!rule.appliesTo.includes(plan.type)) return false;
  if (rule.id === 'COUNTRY-LIMIT') return plan.country !== null;
  if (rule.id === 'CONC-10' || rule.id === 'ESG-EXCL') return plan.issuer !== null;
  return true;
}

function violationPropensity(rule: ComplianceRule, plan: AssetPlan, random: Random): number {
  switch (rule.id) {
    case 'RATING-FLOOR':
      return isBelowInvestmentGrade(plan.rating) ? 0.5 : 0;
    case 'ESG-EXCL':
      return random.chance(plan.sector !== null && CONTROVERSIAL_SECTORS.has(plan.sector) ? 0.4 : 0.08) ? random.uniform(0.05, 0.3) : 0;
    default:
      return random.chance(0.3) ? random.uniform(0.03, 0.25) : 0;
  }
}

function nextStatus(previous: ComplianceStatus, propensity: number, random: Random): ComplianceStatus {
  const draw = random.next();
  switch (previous) {
    case 'PASS':
      return draw < propensity ? 'VIOLATION' : 'PASS';
    case 'VIOLATION':
      return draw < 0.45 ? 'PASS' : draw < 0.6 ? 'WAIVED' : 'VIOLATION';
    case 'WAIVED':
      return draw < 0.25 ? 'PASS' : draw < 0.35 ? 'VIOLATION' : 'WAIVED';
  }
}

function explain(rule: ComplianceRule, status: ComplianceStatus, plan: AssetPlan, portfolio: PortfolioPlan, random: Random): string {
  const finding = violation(rule, plan, portfolio, random);
  return status === 'WAIVED' ? `Waived by ${portfolio.owner} (${portfolio.name}): ${finding}` : finding;
}

function violation(rule: ComplianceRule, plan: AssetPlan, portfolio: PortfolioPlan, random: Random): string {
  switch (rule.id) {
    case 'CONC-10':
      return `${plan.issuer ?? plan.name} is ${random.uniform(10.1, 16).toFixed(1)} % of ${portfolio.name} (limit 10 %)`;
    case 'RATING-FLOOR':
      return `Rated ${plan.rating ?? 'NR'}, below the BBB- floor of ${portfolio.name}`;
    case 'LIQ-ADV':
      return `Position in ${portfolio.name} is ${random.uniform(20.5, 60).toFixed(1)} % of the 20-day average daily volume (limit 20 %)`;
    case 'ESG-EXCL':
      return `${plan.issuer ?? plan.name} is on the exclusion list (${random.pick(['thermal coal revenue', 'controversial weapons', 'UN Global Compact breach', 'severe environmental controversy'])})`;
    case 'COUNTRY-LIMIT':
      return `${plan.country ?? '??'} exposure of ${portfolio.name} is ${random.uniform(25.5, 40).toFixed(1)} % of NAV (limit 25 %)`;
    default:
      return rule.description;
  }
}
