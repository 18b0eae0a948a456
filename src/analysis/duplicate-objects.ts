import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { guardOutputLayout } from '../output-layout';

const guarded = new WeakSet<Chart>();

/**
 * Makes the chart of `scope` refuse, at synth, an object whose group, kind, namespace and name
 * another object in the app already has. `kubectl apply` and GitOps tools keep only one of them
 * silently — e.g. a workload PeerAuthentication named `default` replacing the namespace-wide
 * STRICT one, or Deployments `a-b` + `c` and `a` + `b-c` both named `a-b-c`.
 * @internal
 */
export function guardDuplicateObjects(scope: IConstruct): void {
  guardOutputLayout(scope);
  const chart = Chart.of(scope);
  if (guarded.has(chart)) return;
  guarded.add(chart);
  chart.node.addValidation({ validate: () => duplicateObjects(chart) });
}

/** The duplicates whose later copy lives in `chart` (so each is reported once, by its own chart). */
function duplicateObjects(chart: Chart): string[] {
  const first = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const c of chart.node.root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const group = c.apiVersion.includes('/') ? c.apiVersion.split('/')[0] : '';
    const key = `${group}|${c.kind}|${c.metadata.namespace ?? ''}|${c.name}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, c);
    } else if (Chart.of(c) === chart) {
      const where = c.metadata.namespace ? `${c.metadata.namespace}/${c.name}` : c.name;
      errors.push(`${c.kind} ${where} is emitted twice, by '${earlier.node.path}' and '${c.node.path}'; kubectl apply would keep only one of them. `
        + 'Fix: give one of them another name (e.g. the serviceName or name prop).');
    }
  }
  return errors;
}
