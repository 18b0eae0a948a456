import { Duration, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HealthProbe, MeshProtocol, MeshService, MeshServiceProps } from '../src';
import { chart, object, objects } from './util';

const VERSIONS = [
  { name: 'v1', image: 'ghcr.io/acme/users:1.0.0' },
  { name: 'v2', image: 'ghcr.io/acme/users:2.0.0' },
];

function users(props: Partial<MeshServiceProps> = {}, namespace: string | null = 'test') {
  const c = chart(namespace);
  const svc = new MeshService(c, 'users', { versions: VERSIONS, ...props });
  return { c, svc };
}

describe('MeshService defaults', () => {
  test('snapshot', () => {
    const { c } = users();
    expect(Testing.synth(c)).toMatchSnapshot();
  });

  test('one Deployment per version, named <service>-<version>, no hash suffix', () => {
    const { c } = users();
    expect(objects(c, 'Deployment').map((d) => d.metadata.name)).toEqual(['users-v1', 'users-v2']);
  });

  test('pods carry app/version labels and the selector is exactly app + version', () => {
    const { c } = users();
    const d = object(c, 'Deployment', 'users-v2');
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'users', version: 'v2' } });
    expect(d.spec.template.metadata.labels).toEqual({
      'app': 'users',
      'version': 'v2',
      'app.kubernetes.io/name': 'users',
      'app.kubernetes.io/version': 'v2',
    });
    expect(JSON.stringify(Testing.synth(c))).not.toContain('cdk8s.io/metadata.addr');
  });

  test('container port 8080 named http; liveness GET /health, readiness GET /ready on it; no startup probe', () => {
    const { c } = users();
    const container = object(c, 'Deployment', 'users-v1').spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 8080 });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080 });
    expect(container.startupProbe).toBeUndefined();
  });

  test('one Service with a named port and appProtocol, selecting app only', () => {
    const { c } = users();
    const svc = object(c, 'Service', 'users');
    expect(svc.spec.ports).toEqual([{ name: 'http', appProtocol: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual({ app: 'users' });
  });

  test('one dedicated ServiceAccount used by every version, token not mounted', () => {
    const { c } = users();
    expect(objects(c, 'ServiceAccount').map((s) => s.metadata.name)).toEqual(['users']);
    for (const d of objects(c, 'Deployment')) {
      expect(d.spec.template.spec.serviceAccountName).toBe('users');
      expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
    }
  });

  test('DestinationRule (networking.istio.io/v1) subsets are exactly the declared versions', () => {
    const { c } = users();
    const dr = object(c, 'DestinationRule', 'users');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.spec.host).toBe('users');
    expect(dr.spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ]);
  });

  test("every object lands in the chart's namespace", () => {
    const { c } = users({}, 'shop');
    for (const o of Testing.synth(c)) expect(o.metadata.namespace).toBe('shop');
  });

  test('without a chart namespace, objects carry none', () => {
    const { c, svc } = users({}, null);
    expect(svc.namespace).toBeUndefined();
    for (const o of Testing.synth(c)) expect(o.metadata.namespace).toBeUndefined();
  });
});

describe('MeshService options', () => {
  test('serviceName overrides the construct id everywhere', () => {
    const { c } = users({ serviceName: 'accounts' });
    expect(Testing.synth(c).map((o) => o.metadata.name).sort()).toEqual(
      ['accounts', 'accounts', 'accounts', 'accounts', 'accounts-v1', 'accounts-v2']);
  });

  test('a port bound to the Service later keeps no appProtocol (not even null): only declared ports get one', () => {
    const { c, svc } = users();
    svc.service.bind(9102, { name: 'extra', targetPort: 9102 });
    const ports = object(c, 'Service', 'users').spec.ports;
    expect(ports).toEqual([
      { name: 'http', appProtocol: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' },
      { name: 'extra', port: 9102, targetPort: 9102 },
    ]);
    expect(Object.keys(ports[1])).not.toContain('appProtocol');
    expect(Yaml.stringify(...Testing.synth(c))).not.toContain('appProtocol: null');
  });

  test('port and protocol name the port and set appProtocol', () => {
    const { c } = users({ port: 9090, protocol: MeshProtocol.GRPC });
    expect(object(c, 'Service', 'users').spec.ports[0]).toMatchObject({ name: 'grpc', appProtocol: 'grpc', port: 9090, targetPort: 9090 });
    const container = object(c, 'Deployment', 'users-v1').spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ containerPort: 9090, name: 'grpc' }]);
    // a gRPC port answers neither GET /health nor GET /metrics: TCP probes, no metrics by default
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 9090 });
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 9090 });
    expect(object(c, 'Deployment', 'users-v1').spec.template.metadata.annotations).not.toHaveProperty('prometheus.io/scrape');
  });

  test('probes: path, port and timings are overridable, and a probe can be removed', () => {
    const { c } = users({
      liveness: HealthProbe.httpGet('/livez', { port: 9000, initialDelay: Duration.seconds(5), period: Duration.seconds(20), timeout: Duration.seconds(2), failureThreshold: 5 }),
      readiness: HealthProbe.none(),
      startup: HealthProbe.httpGet('/health', { failureThreshold: 30 }),
    });
    const container = object(c, 'Deployment', 'users-v1').spec.template.spec.containers[0];
    expect(container.livenessProbe).toEqual({
      httpGet: { path: '/livez', port: 9000 },
      initialDelaySeconds: 5, periodSeconds: 20, timeoutSeconds: 2, failureThreshold: 5,
    });
    expect(container.readinessProbe).toBeUndefined();
    expect(container.startupProbe.httpGet.path).toBe('/health');
    expect(container.startupProbe.failureThreshold).toBe(30);
  });

  test('a TCP probe checks the port with the given timings', () => {
    const { c } = users({ readiness: HealthProbe.tcp({ period: Duration.seconds(5) }) });
    const container = object(c, 'Deployment', 'users-v1').spec.template.spec.containers[0];
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 8080 }, periodSeconds: 5 });
  });

  test('per-version replicas, env (in order), resources, command and args', () => {
    const { c } = users({
      versions: [{
        name: 'v1', image: 'ghcr.io/acme/users:1.0.0', replicas: 0,
        env: { LOG_LEVEL: 'debug', FEATURE_X: 'on' },
        resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(500) } },
        command: ['/app'], args: ['--verbose'],
      }],
    });
    const d = object(c, 'Deployment', 'users-v1');
    expect(d.spec.replicas).toBe(0);
    const container = d.spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'FEATURE_X', value: 'on' }]);
    expect(container.resources).toEqual({ requests: { cpu: '250m' }, limits: { cpu: '500m' } });
    expect(container.command).toEqual(['/app']);
    expect(container.args).toEqual(['--verbose']);
  });

  test('default replicas is 2 and images are pulled IfNotPresent', () => {
    const { c } = users();
    const d = object(c, 'Deployment', 'users-v1');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  test('extra labels go on objects but never on selectors', () => {
    const { c } = users({ labels: { team: 'identity' } });
    const d = object(c, 'Deployment', 'users-v1');
    expect(d.metadata.labels.team).toBe('identity');
    expect(d.spec.template.metadata.labels.team).toBe('identity');
    expect(d.spec.selector.matchLabels).toEqual({ app: 'users', version: 'v1' });
    expect(object(c, 'Service', 'users').spec.selector).toEqual({ app: 'users' });
  });
});

describe('MeshService composition', () => {
  test('deployment(version), service, serviceAccount and destinationRule are reachable', () => {
    const { svc } = users();
    expect(svc.deployment('v2').name).toBe('users-v2');
    expect(svc.deployments.map((d) => d.name)).toEqual(['users-v1', 'users-v2']);
    expect(svc.service.name).toBe('users');
    expect(svc.serviceAccount.name).toBe('users');
    expect(svc.destinationRule!.name).toBe('users');
    expect(svc.versionNames).toEqual(['v1', 'v2']);
  });

  test('addVersion() adds a Deployment and a DestinationRule subset', () => {
    const { c, svc } = users();
    const d = svc.addVersion({ name: 'v3', image: 'ghcr.io/acme/users:3.0.0' });
    expect(d.name).toBe('users-v3');
    expect(object(c, 'DestinationRule', 'users').spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2', 'v3']);
  });

  test('a composed Deployment change shows up in the output', () => {
    const { c, svc } = users();
    svc.deployment('v1').metadata.addAnnotation('owner', 'team-identity');
    expect(object(c, 'Deployment', 'users-v1').metadata.annotations).toEqual({ owner: 'team-identity' });
  });

  test('fails when deployment() is asked for an undeclared version', () => {
    const { svc } = users();
    expect(() => svc.deployment('v9')).toThrow(/MeshService 'test\/users': prop 'version' is "v9", which is not declared\. Fix: use one of "v1", "v2"/);
  });
});
