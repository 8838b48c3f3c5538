import type { PlanNode, QueryPlan } from '@apollo/query-planner';

/**
 * Why our executor (plan-executor.ts) does not run this plan, or null when it does: it runs
 * plans of Sequence, Parallel, Flatten, Fetch and Condition nodes. Defer and Subscription nodes,
 * and fetches with context rewrites (@fromContext, which executeQueryPlan of this version does
 * not apply either), stay with @apollo/gateway's executeQueryPlan, so their behaviour is its own.
 */
export function unsupportedPlanFeature(plan: QueryPlan): string | null {
  const node = plan.node;
  if (!node) return null;
  if (node.kind === 'Subscription') return 'subscription';
  return unsupportedNode(node);
}

function unsupportedNode(node: PlanNode): string | null {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) {
        const found = unsupportedNode(child);
        if (found) return found;
      }
      return null;
    case 'Flatten':
      return unsupportedNode(node.node);
    case 'Condition':
      return (node.ifClause && unsupportedNode(node.ifClause)) || (node.elseClause && unsupportedNode(node.elseClause)) || null;
    case 'Fetch':
      if (node.contextRewrites && node.contextRewrites.length > 0) return 'context rewrites';
      if (node.hasDefers) return 'defer';
      return null;
    default:
      return (node as { kind: string }).kind;
  }
}
