// Realistic histories of the example app: synthesize MeshDemoChart, then edit a copy of its
// objects the way a pull request would.
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { MeshDemoChart } from '../../src/example';
import { K8sObject } from '../../src/review/objects';

/** The example app's synthesized objects (a fresh deep copy each call). */
export function example(): K8sObject[] {
  return JSON.parse(JSON.stringify(Testing.synth(new MeshDemoChart(Testing.app()))));
}

/** The one object of a kind and name; throws when it is missing. */
export function find(objects: K8sObject[], kind: string, name: string): any {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
}

/** A copy of `objects` after `edit` ran on it. */
export function edited(objects: K8sObject[], edit: (o: any[]) => void): K8sObject[] {
  const copy = JSON.parse(JSON.stringify(objects));
  edit(copy);
  return copy;
}

const defaultRoute = (o: any[]): any[] => find(o, 'VirtualService', 'myservice').spec.http[1].route;
const dest = (subset: string, weight?: number): any => ({ destination: { host: 'myservice', subset }, ...(weight === undefined ? {} : { weight }) });

/** Default route 90/10 → 50/50. */
export const shift5050 = (o: any[]): void => { defaultRoute(o)[0].weight = 50; defaultRoute(o)[1].weight = 50; };

/** A new version v3 (Deployment, subset) taking 10% in the same change. */
export function addV3(o: any[]): void {
  const dr = find(o, 'DestinationRule', 'myservice');
  dr.spec.subsets.push({ name: 'v3', labels: { version: 'v3' } });
  const v3 = JSON.parse(JSON.stringify(find(o, 'Deployment', 'myservice-v2')).replace(/v2/g, 'v3').replace('2.0.0', '3.0.0'));
  o.push(v3);
  find(o, 'VirtualService', 'myservice').spec.http[1].route = [dest('v1', 80), dest('v2', 10), dest('v3', 10)];
}

/** Step 1 of removing v1 properly: all traffic to v2, v1 still deployed. */
export const routeAwayFromV1 = (o: any[]): void => { find(o, 'VirtualService', 'myservice').spec.http[1].route = [dest('v2')]; };

/** Step 2 (or the one-step removal's other half): v1's subset and Deployment deleted. */
export function deleteV1(o: any[]): void {
  const dr = find(o, 'DestinationRule', 'myservice');
  dr.spec.subsets = dr.spec.subsets.filter((s: any) => s.name !== 'v1');
  o.splice(o.indexOf(find(o, 'Deployment', 'myservice-v1')), 1);
}

/** Removing v1 in one step: routing and deletion in one change. */
export const removeV1OneStep = (o: any[]): void => { routeAwayFromV1(o); deleteV1(o); };

/** Namespace-wide STRICT → PERMISSIVE. */
export const weakenMtls = (o: any[]): void => { find(o, 'PeerAuthentication', 'default').spec.mtls.mode = 'PERMISSIVE'; };

/** A new caller: `admin` may POST /api/users. */
export function addCaller(o: any[]): void {
  find(o, 'AuthorizationPolicy', 'myservice-callers').spec.rules.push({
    from: [{ source: { principals: ['cluster.local/ns/mesh-demo/sa/admin'] } }],
    to: [{ operation: { methods: ['POST'], paths: ['/api/users'] } }],
  });
}

/** The allow-list removed: myservice is open to every caller. */
export const removeAuthorization = (o: any[]): void => { o.splice(o.indexOf(find(o, 'AuthorizationPolicy', 'myservice-callers')), 1); };

/** The fast-burn availability alert deleted. */
export function removeFastBurnAlert(o: any[]): void {
  const group = find(o, 'PrometheusRule', 'myservice-slo').spec.groups[1];
  group.rules = group.rules.filter((r: any) => !(r.alert === 'AvailabilityErrorBudgetBurn' && r.labels.severity === 'critical'));
}

/** v2 scaled to 0 while it still takes 10%. */
export const scaleV2ToZero = (o: any[]): void => { find(o, 'Deployment', 'myservice-v2').spec.replicas = 0; };

/** Objects as one multi-document YAML stream (what `npm run synth` writes). */
export function toYaml(objects: K8sObject[]): string {
  return objects.map((x) => stringify(x)).join('---\n');
}
