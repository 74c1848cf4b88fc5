/**
 * Summarizes a `terraform show -json` plan as Markdown: what changes, by action and resource type.
 * `npm run plan` prints it per stack; `terraform show -json tfplan | npx tsx scripts/plan-summary.ts <title>` prints
 * it for one plan (CI writes it to the job summary).
 */

interface ResourceChange {
  readonly type: string;
  readonly mode: string;
  readonly change: { readonly actions: readonly string[] };
}

/** `create`, `update`, `delete`, `replace` or `no-op` for one resource change. */
function actionOf(actions: readonly string[]): string {
  if (actions.includes('create') && actions.includes('delete')) return 'replace';
  return actions[0] ?? 'no-op';
}

export function summarizePlan(title: string, plan: { resource_changes?: readonly ResourceChange[] }): string {
  const changes = (plan.resource_changes ?? []).filter((r) => r.mode === 'managed');
  const counts = new Map<string, Map<string, number>>();
  for (const change of changes) {
    const action = actionOf(change.change.actions);
    if (action === 'no-op' || action === 'read') continue;
    const byType = counts.get(action) ?? new Map<string, number>();
    byType.set(change.type, (byType.get(change.type) ?? 0) + 1);
    counts.set(action, byType);
  }
  const lines = [`### ${title}`, ''];
  if (counts.size === 0) return [...lines, 'No changes.', ''].join('\n');
  const totals = [...counts].map(
    ([action, byType]) => `${[...byType.values()].reduce((a, b) => a + b, 0)} to ${action}`,
  );
  lines.push(`Plan: ${totals.join(', ')}.`, '', '| Action | Resource type | Count |', '| --- | --- | --- |');
  for (const [action, byType] of counts) {
    for (const [type, count] of [...byType].sort()) lines.push(`| ${action} | \`${type}\` | ${count} |`);
  }
  return [...lines, ''].join('\n');
}
