import { parser } from '@prometheus-io/lezer-promql';

/**
 * Parses `expr` with the Prometheus project's own PromQL grammar (@prometheus-io/lezer-promql) and
 * returns one message per error node (`⚠`) in the tree: empty means the expression is valid PromQL.
 */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors.push(`syntax error at ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.from)}⚠${expr.slice(node.from, node.from + 20)}…`);
      }
    },
  });
  if (tree.length !== expr.length) errors.push(`parsed ${tree.length} of ${expr.length} characters`);
  return errors;
}

/** Every `expr` of every rule of every PrometheusRule among `manifests`. */
export function ruleExpressions(manifests: any[]): { name: string; expr: string }[] {
  return manifests
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules.map((r: any) => ({ name: r.record ?? r.alert, expr: String(r.expr) }))));
}
