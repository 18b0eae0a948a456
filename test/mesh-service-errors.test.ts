import { Chart, Testing } from 'cdk8s';
import { Duration } from 'cdk8s';
import { HealthProbe, MeshService, MeshServiceProps, MetricsEndpoint } from '../src';
import { chart } from './util';

const V1 = { name: 'v1', image: 'ghcr.io/acme/users:1.0.0' };

function make(props: Partial<MeshServiceProps>, id = 'users') {
  return () => new MeshService(chart(), id, { versions: [V1], ...props });
}

// Every message names the construct (by path), the prop, the value and the fix.
describe('MeshService bad input', () => {
  test('fails when no version is declared', () => {
    expect(make({ versions: [] })).toThrow("MeshService 'test/users': prop 'versions' is [], which declares no version. Fix: declare at least one version");
  });

  test('fails when a version name is empty', () => {
    expect(make({ versions: [{ ...V1, name: '' }] })).toThrow(/MeshService 'test\/users': prop 'versions\[0\]\.name' is "", which is not a DNS-1123 label\. Fix: use at most 63 lower-case letters/);
  });

  test('fails when two versions share a name', () => {
    expect(make({ versions: [V1, { ...V1, image: 'x:2' }] }))
      .toThrow("MeshService 'test/users': prop 'versions[1].name' is \"v1\", which is already declared. Fix: give every version a unique name");
  });

  test('fails when addVersion() repeats a name', () => {
    const svc = make({})();
    expect(() => svc.addVersion(V1)).toThrow(/prop 'addVersion\(options\)\.name' is "v1", which is already declared/);
  });

  test.each(['V1', 'v_1', 'v1.0', '-v1', 'v1-', 'a'.repeat(64)])('fails when version name %p is not a DNS-1123 label', (name) => {
    expect(make({ versions: [{ ...V1, name }] })).toThrow(`prop 'versions[0].name' is ${JSON.stringify(name)}, which is not a DNS-1123 label`);
  });

  test.each(['', '   ', 'ghcr.io/acme/users 1.0'])('fails when the image is %p', (image) => {
    expect(make({ versions: [{ ...V1, image }] })).toThrow(`prop 'versions[0].image' is ${JSON.stringify(image)}, which is not a container image reference. Fix: give a non-empty image`);
  });

  test.each([0, -1, 65536, 8080.5, NaN])('fails when port is %p', (port) => {
    expect(make({ port })).toThrow(/prop 'port' is .*, which is not a port number between 1 and 65535\. Fix: use an integer TCP port/);
  });

  test.each([-1, 1.5, NaN])('fails when replicas is %p', (replicas) => {
    expect(make({ versions: [{ ...V1, replicas }] })).toThrow(/prop 'versions\[0\]\.replicas' is .*, which is not a whole number ≥ 0/);
  });

  test.each(['health', '', ' /health', '/he alth'])('fails when the liveness path is %p', (path) => {
    expect(make({ liveness: HealthProbe.httpGet(path) })).toThrow(`prop 'liveness.path' is ${JSON.stringify(path)}, which is not an absolute HTTP path. Fix: start the path with '/'`);
  });

  test.each([15006, 15020, 15021, 15090])('fails when port is %p, which the Istio sidecar owns', (port) => {
    expect(make({ port })).toThrow(`prop 'port' is ${port}, which is reserved by the Istio sidecar in every injected pod. Fix: use a port outside 15000, 15001`);
  });

  test('fails when a probe or the metrics endpoint uses a sidecar port', () => {
    expect(make({ liveness: HealthProbe.httpGet('/health', { port: 15021 }) })).toThrow("prop 'liveness.port' is 15021, which is reserved by the Istio sidecar");
    expect(make({ metrics: MetricsEndpoint.http({ port: 15020 }) })).toThrow("prop 'metrics.port' is 15020, which is reserved by the Istio sidecar");
  });

  test('fails when the readiness probe port is out of range', () => {
    expect(make({ readiness: HealthProbe.httpGet('/ready', { port: 0 }) })).toThrow("prop 'readiness.port' is 0, which is not a port number");
  });

  test('fails when a probe failureThreshold is 0', () => {
    expect(make({ startup: HealthProbe.httpGet('/health', { failureThreshold: 0 }) })).toThrow("prop 'startup.failureThreshold' is 0, which is not a whole number ≥ 1");
  });

  test.each(['Users', '1users', 'users_api', 'users.api', '-users', 'u'.repeat(64)])('fails when the service name %p is not a DNS-1035 label', (serviceName) => {
    expect(make({ serviceName })).toThrow(`prop 'serviceName' is ${JSON.stringify(serviceName)}, which is not a DNS-1035 label`);
  });

  test('fails when the construct id is used as the service name and is not a DNS-1035 label', () => {
    expect(make({}, 'UsersService')).toThrow("MeshService 'test/UsersService': prop 'serviceName' is \"UsersService\", which is not a DNS-1035 label");
  });

  test.each([
    ['timeout', { timeout: Duration.millis(1500) }, '"1 second 500 millis"', 'Duration.seconds(2)'],
    ['period', { period: Duration.seconds(0) }, '"0 seconds"', 'Duration.seconds(1)'],
    ['initialDelay', { initialDelay: Duration.millis(500) }, '"500 millis"', 'Duration.seconds(1)'],
  ])('fails when a probe %s is not a whole number of seconds in range, before any file is written', (prop, options, value, fix) => {
    expect(make({ readiness: HealthProbe.httpGet('/ready', options) }))
      .toThrow(`prop 'readiness.${prop}' is ${value}, which is not a whole number of seconds`);
    expect(make({ readiness: HealthProbe.tcp(options) })).toThrow(`Fix: use e.g. ${fix}`);
  });

  test.each([
    [{ 'bad key': 'x' }, 'labels["bad key"]', '"bad key"', 'is not a valid label key'],
    [{ 'acme.io/': 'x' }, 'labels["acme.io/"]', '"acme.io/"', 'is not a valid label key'],
    [{ 'Bad_Prefix/team': 'x' }, 'labels["Bad_Prefix/team"]', '"Bad_Prefix/team"', 'is not a valid label key'],
    [{ team: 'a b' }, 'labels["team"]', '"a b"', 'is not a valid label value'],
    [{ team: 'x'.repeat(64) }, 'labels["team"]', JSON.stringify('x'.repeat(64)), 'is not a valid label value'],
  ])('fails when labels are %p', (labels, prop, value, problem) => {
    expect(make({ labels })).toThrow(`prop '${prop}' is ${value}, which ${problem}`);
  });

  test('accepts prefixed label keys and empty label values', () => {
    expect(make({ labels: { 'acme.io/team': 'identity', 'tier': '' } })).not.toThrow();
  });

  test('fails when an env var name is invalid', () => {
    expect(make({ versions: [{ ...V1, env: { '1BAD': 'x' } }] })).toThrow("prop 'versions[0].env' is \"1BAD\", which is not a valid environment variable name");
  });
});

describe('MeshService analysis at synth', () => {
  test('fails when two MeshServices declare the same service in one namespace', () => {
    const c = chart();
    new MeshService(c, 'users', { versions: [V1] });
    new MeshService(c, 'users-again', { serviceName: 'users', versions: [{ ...V1, name: 'v2' }] });
    expect(() => Testing.synth(c)).toThrow(
      "MeshService 'test/users': service \"users\" in namespace \"test\" is also declared by 'test/users-again'. Fix: give one of them a different serviceName");
  });

  test('fails when labels set a label the package sets itself (app, version, app.kubernetes.io/name|version)', () => {
    expect(make({ labels: { app: 'y' } })).toThrow("MeshService 'test/users': prop 'labels[\"app\"]' is \"y\", which sets \"app\", which the package sets itself from serviceName and the version names (selectors and subsets read it). Fix: drop it: set serviceName instead");
    expect(make({ labels: { version: 'x' } })).toThrow("prop 'labels[\"version\"]' is \"x\", which sets \"version\", which the package sets itself");
    expect(make({ labels: { 'app.kubernetes.io/version': '1.2.3' } })).toThrow('Fix: drop it: name the versions instead');
  });

  test.each(['sidecar.istio.io/inject', 'istio.io/dataplane-mode', 'istio.io/use-waypoint', 'security.istio.io/tlsMode', 'istio.io/rev', 'linkerd.io/inject'])(
    'fails when labels set %s (a label the mesh reads to decide whether the pods are meshed)', (key) => {
      expect(make({ labels: { [key]: 'false' } })).toThrow(`MeshService 'test/users': prop 'labels[${JSON.stringify(key)}]' is "false", which is a label the mesh reads to decide whether and how the pods are meshed`);
    });

  test('other labels are fine and land on every object', () => {
    const c = chart();
    new MeshService(c, 'users', { versions: [V1], labels: { 'team': 'payments', 'acme.io/cost-center': 'c42' } });
    expect(Testing.synth(c).every((o: any) => o.metadata.labels.team === 'payments' && o.metadata.labels['acme.io/cost-center'] === 'c42')).toBe(true);
  });

  test('the same service name in two namespaces is fine', () => {
    const app = Testing.app();
    new MeshService(new Chart(app, 'a', { namespace: 'a' }), 'users', { versions: [V1] });
    const b = new Chart(app, 'b', { namespace: 'b' });
    new MeshService(b, 'users', { versions: [V1] });
    expect(Testing.synth(b).map((o: any) => o.metadata.namespace)).toEqual(['b', 'b', 'b', 'b']);
    expect(() => app.synthYaml()).not.toThrow();
  });
});
