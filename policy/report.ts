import type { GateReport, RuleResult, StackReport, SuppressedFinding } from './evaluate';
import type { Finding, Rule, Suppression } from './types';

const INDENT = '    ';

function ruleName(rule: Rule): string {
  const aliases = rule.aliases?.length ? ` [${rule.aliases.join(', ')}]` : '';
  return `${rule.id}${aliases} ${rule.title}`;
}

function wrap(text: string, indent: string, width = 110): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

function findingLines(findings: readonly Finding[], generalFix?: string): string[] {
  const lines: string[] = [];
  for (const found of findings) {
    lines.push(`${INDENT}${found.address}`);
    lines.push(wrap(found.message, `${INDENT}  `));
    if (found.fix) lines.push(wrap(`fix: ${found.fix}`, `${INDENT}    `));
  }
  if (generalFix) lines.push(wrap(`fix: ${generalFix}`, INDENT));
  return lines;
}

function suppressionLines(suppressed: readonly SuppressedFinding[]): string[] {
  const bySuppression = new Map<Suppression, SuppressedFinding[]>();
  for (const found of suppressed)
    bySuppression.set(found.suppression, [...(bySuppression.get(found.suppression) ?? []), found]);
  const lines: string[] = [];
  for (const [suppression, findings] of bySuppression) {
    for (const found of findings) lines.push(`${INDENT}${found.address}: ${found.message}`);
    lines.push(wrap(`justification: ${suppression.justification}`, INDENT));
  }
  return lines;
}

function resultLines(result: RuleResult): string[] {
  const lines: string[] = [];
  if (result.failures.length > 0) {
    lines.push(`  FAIL ${ruleName(result.rule)}`);
    lines.push(...findingLines(result.failures, result.rule.fix));
  }
  if (result.warnings.length > 0) {
    lines.push(`  WARN ${ruleName(result.rule)}`);
    lines.push(...findingLines(result.warnings, result.rule.fix));
  }
  if (result.suppressed.length > 0) {
    lines.push(`  SUPPRESSED ${ruleName(result.rule)}`);
    lines.push(...suppressionLines(result.suppressed));
  }
  return lines;
}

/** The summary line of one stack. */
export function stackSummary(stack: StackReport): string {
  const notApplicable = stack.notApplicable > 0 ? ` (${stack.notApplicable} with no matching resources)` : '';
  return (
    `${stack.stack}: ${stack.ok ? 'PASSED' : 'FAILED'} — ${stack.results.length} rules: ` +
    `${stack.passed} passed${notApplicable}, ${stack.failed} failed, ${stack.suppressed} suppressed`
  );
}

/** The readable report: per stack, its counts, failures with address, rule and fix, warnings and suppressions. */
export function formatReport(report: GateReport, options: { readonly listPassed?: boolean } = {}): string {
  const out: string[] = [];
  for (const stack of report.stacks) {
    out.push(stackSummary(stack));
    const order: RuleResult['status'][] = ['failed', 'passed', 'suppressed'];
    const results = [...stack.results].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
    for (const result of results) out.push(...resultLines(result));
    if (options.listPassed) {
      for (const result of stack.results.filter((r) => r.status === 'passed')) {
        out.push(`  pass ${ruleName(result.rule)}${result.applicable ? '' : ' (no matching resources)'}`);
      }
    }
    out.push('');
  }
  if (report.unusedSuppressions.length > 0) {
    out.push('Unused suppressions (they matched nothing: remove them, or fix their scope):');
    for (const s of report.unusedSuppressions) {
      out.push(`  ${s.rule} stacks=${JSON.stringify(s.stacks ?? '*')} addresses=${JSON.stringify(s.addresses ?? '*')}`);
    }
    out.push('');
  }
  const failedStacks = report.stacks.filter((s) => !s.ok).map((s) => s.stack);
  const failures = report.stacks.reduce((sum, s) => sum + s.results.reduce((n, r) => n + r.failures.length, 0), 0);
  out.push(
    report.ok
      ? `Policy gate PASSED on ${report.stacks.length} stack(s).`
      : `Policy gate FAILED: ${failures} finding(s) in ${failedStacks.join(', ')}.`,
  );
  return out.join('\n');
}
