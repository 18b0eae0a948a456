// Choosing a data plane: Mesh.use / Mesh.of, and the one-backend-per-namespace rule.
import { Chart, Testing } from 'cdk8s';
import {
  AuthorizationPolicy, Caller, IstioRouting, IstioSidecar, Mesh, MeshService, PeerAuthentication, TrafficSplit,
} from '../src';

/**
 * A data plane defined outside the package (what a platform team's own backend would look like):
 * it renders like Istio sidecar mode but is a different data plane to the namespace check.
 */
class OtherMesh extends IstioSidecar {
  public readonly id = 'other-mesh';
  public readonly name = 'Other mesh';
}

const versions = [{ name: 'v1', image: 'x:1' }, { name: 'v2', image: 'x:2' }];
const nsChart = (app: ReturnType<typeof Testing.app>, id: string, namespace = 'shop') => new Chart(app, id, { namespace, disableResourceNameHashes: true });

describe('Mesh', () => {
  test('defaults to Istio sidecar mode with VirtualService routing', () => {
    const c = nsChart(Testing.app(), 'c');
    const backend = Mesh.of(c);
    expect(backend).toBeInstanceOf(IstioSidecar);
    expect((backend as IstioSidecar).routing).toBe(IstioRouting.VIRTUAL_SERVICE);
    expect(new MeshService(c, 'users', { versions }).backend.id).toBe('istio-sidecar');
  });

  test('Mesh.use on a chart applies to every construct in it, the nearest scope winning', () => {
    const app = Testing.app();
    const gateway = new IstioSidecar({ routing: IstioRouting.GATEWAY_API });
    Mesh.use(app, gateway);
    const a = nsChart(app, 'a', 'a');
    const b = nsChart(app, 'b', 'b');
    const sidecar = new IstioSidecar();
    Mesh.use(b, sidecar);
    expect(Mesh.of(a)).toBe(gateway);
    expect(Mesh.of(b)).toBe(sidecar);
    expect(new MeshService(b, 'users', { versions }).backend).toBe(sidecar);
  });

  test('fails when the backend is chosen after a mesh construct of the scope was rendered for another', () => {
    const c = nsChart(Testing.app(), 'c');
    new MeshService(c, 'users', { versions });
    expect(() => Mesh.use(c, new OtherMesh()))
      .toThrow("Mesh 'c': prop 'backend' is \"Other mesh\", which is chosen after 'c/users' was already rendered for Istio sidecar. Fix: call Mesh.use(scope, backend) before adding mesh constructs to the scope.");
  });

  test('fails when the backend is not one', () => {
    expect(() => Mesh.use(nsChart(Testing.app(), 'c'), {} as any)).toThrow("prop 'backend' is {}, which is not a mesh backend");
  });

  test('fails at synth when two charts of one namespace render for two backends', () => {
    const app = Testing.app();
    const a = nsChart(app, 'a');
    const b = nsChart(app, 'b');
    Mesh.use(b, new OtherMesh());
    const users = new MeshService(a, 'users', { versions });
    new TrafficSplit(b, 'users-routing', { service: users, defaultRoute: { destinations: [{ version: 'v1' }] } });
    expect(() => app.synth()).toThrow("'b/users-routing' renders for Other mesh, but 'a/users' in the same namespace \"shop\" renders for Istio sidecar. Fix: choose one backend per namespace");
  });

  test('a backend from outside the package renders the constructs unchanged', () => {
    const c = nsChart(Testing.app(), 'c');
    Mesh.use(c, new OtherMesh());
    new MeshService(c, 'users', { versions });
    expect(Testing.synth(c).map((o: any) => o.kind)).toEqual(['ServiceAccount', 'Service', 'DestinationRule', 'Deployment', 'Deployment', 'VirtualService']);
  });

  test('policies and routing of one namespace on one backend synthesize', () => {
    const app = Testing.app();
    const c = nsChart(app, 'c');
    const users = new MeshService(c, 'users', { versions });
    new PeerAuthentication(c, 'mtls');
    new AuthorizationPolicy(c, 'callers', { service: users }).allow({ from: [Caller.namespace('shop')] });
    expect(() => Testing.synth(c)).not.toThrow();
  });
});
