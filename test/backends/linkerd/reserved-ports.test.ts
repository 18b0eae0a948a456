// Linkerd's proxy listens on 4140 (outbound), 4143 (inbound), 4190 (control) and 4191 (admin,
// also its readiness probe) in every meshed pod: an application port there is refused.
import { Chart, Testing } from 'cdk8s';
import { HealthProbe, Linkerd, Mesh, MeshService, MeshServiceProps, MetricsEndpoint } from '../../../src';

function build(props: Partial<MeshServiceProps>) {
  const app = Testing.app();
  Mesh.use(app, new Linkerd());
  const c = new Chart(app, 'c', { namespace: 'shop' });
  return () => new MeshService(c, 'api', { versions: [{ name: 'v1', image: 'ghcr.io/acme/api:1' }], ...props });
}

test.each([4140, 4143, 4190, 4191])('fails when the service port is %i', (port) => {
  expect(build({ port })).toThrow(`MeshService 'c/api': prop 'ports[0].port' is ${port}, which is reserved by the Linkerd proxy in every meshed pod (4140, 4143, 4190, 4191: outbound, inbound, control, admin). Fix: use a port outside them`);
});

test('fails when the metrics or a probe port is one of them', () => {
  expect(build({ metrics: MetricsEndpoint.http({ port: 4191 }) })).toThrow("prop 'metrics' is 4191, which is reserved by the Linkerd proxy");
  expect(build({ liveness: HealthProbe.httpGet('/healthz', { port: 4143 }) })).toThrow("prop 'probes' is 4143, which is reserved by the Linkerd proxy");
});

test('other ports are fine', () => {
  expect(build({ port: 8080, metrics: MetricsEndpoint.http({ port: 9090 }) })).not.toThrow();
});
