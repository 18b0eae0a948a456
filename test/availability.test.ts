// Issue 14 item 5: autoscaling and disruption budgets per version.
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { MeshService, TrafficSplit, Weight } from '../src';
import { chart, object, objects } from './util';

describe('autoscaling and availability', () => {
  test('snapshot: a version with an HPA and a PDB', () => {
    const c = chart('shop');
    new MeshService(c, 'users', {
      versions: [{ name: 'v1', image: 'x:1', autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilizationPercent: 70 }, disruptionBudget: { maxUnavailable: 1 } }],
    });
    expect(Testing.synth(c).filter((o: any) => ['HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind))).toMatchSnapshot();
  });

  test('an autoscaled version\'s Deployment sets no replicas; the HPA targets it with the given bounds and targets', () => {
    const c = chart('shop');
    new MeshService(c, 'users', {
      versions: [{ name: 'v1', image: 'x:1', autoscaling: { maxReplicas: 10, cpuUtilizationPercent: 70, memoryUtilizationPercent: 80 } }, { name: 'v2', image: 'x:2' }],
    });
    expect(object(c, 'Deployment', 'users-v1').spec).not.toHaveProperty('replicas');
    expect(object(c, 'Deployment', 'users-v2').spec.replicas).toBe(2);
    const hpa = object(c, 'HorizontalPodAutoscaler', 'users-v1');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'users-v1' } });
    expect(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 70], ['memory', 80]]);
  });

  test('defaults to 80% CPU and 2 pods at least', () => {
    const c = chart('shop');
    new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'x:1', autoscaling: { maxReplicas: 4 } }] });
    const hpa = object(c, 'HorizontalPodAutoscaler', 'users-v1');
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  test('the PDB selects the version\'s pods by app/version', () => {
    const c = chart('shop');
    new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'x:1', replicas: 3, disruptionBudget: { minAvailable: 2 } }] });
    expect(object(c, 'PodDisruptionBudget', 'users-v1').spec).toEqual({ minAvailable: 2, selector: { matchLabels: { app: 'users', version: 'v1' } } });
  });

  test('the cdk8s-plus HorizontalPodAutoscaler can target a MeshService Deployment', () => {
    const c = chart('shop');
    const svc = new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'x:1' }] });
    new kplus.HorizontalPodAutoscaler(c, 'hpa', { target: svc.deployment('v1'), maxReplicas: 5 });
    expect(object(c, 'Deployment', 'users-v1').spec).not.toHaveProperty('replicas');
    expect(objects(c, 'HorizontalPodAutoscaler')).toHaveLength(1);
  });

  test('routing analysis counts an autoscaled version by its minReplicas', () => {
    const c = chart('shop');
    const svc = new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2', autoscaling: { minReplicas: 1, maxReplicas: 3 } }] });
    expect(svc.replicas('v2')).toBe(1);
    new TrafficSplit(c, 'r', { service: svc, defaultRoute: { destinations: [{ version: 'v1', weight: Weight.percent(90) }, { version: 'v2', weight: Weight.percent(10) }] } });
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test.each([
    [{ replicas: 3, autoscaling: { maxReplicas: 4 } }, "prop 'versions[0].replicas' is 3, which is set together with autoscaling"],
    [{ autoscaling: { minReplicas: 5, maxReplicas: 4 } }, "prop 'versions[0].autoscaling.maxReplicas' is 4, which is below minReplicas (5)"],
    [{ autoscaling: { minReplicas: 0, maxReplicas: 4 } }, "prop 'versions[0].autoscaling.minReplicas' is 0, which scales the version to zero"],
    [{ autoscaling: { maxReplicas: 4, cpuUtilizationPercent: 0 } }, "prop 'versions[0].autoscaling.cpuUtilizationPercent' is 0"],
    [{ replicas: 2, disruptionBudget: { minAvailable: 2 } }, "prop 'versions[0].disruptionBudget.minAvailable' is 2, which is not below the version's 2 pod(s), so no pod may ever be evicted and every node drain blocks"],
    [{ disruptionBudget: { maxUnavailable: 0 } }, "prop 'versions[0].disruptionBudget.maxUnavailable' is 0, which lets no pod be disrupted"],
    [{ disruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, 'must set exactly one of minAvailable and maxUnavailable'],
    [{ autoscaling: { minReplicas: 3, maxReplicas: 6 }, disruptionBudget: { minAvailable: 3 } }, "is not below the version's 3 pod(s)"],
  ])('fails when a version has %j', (extra, message) => {
    expect(() => new MeshService(chart('shop'), 'users', { versions: [{ name: 'v1', image: 'x:1', ...extra }] })).toThrow(message);
  });
});
