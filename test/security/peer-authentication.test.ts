import { Chart, Testing } from 'cdk8s';
import { DestinationTls, MeshService, MtlsMode, PeerAuthentication } from '../../src';
import { chart, object } from '../util';

const V1 = [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }];

describe('PeerAuthentication', () => {
  test('snapshot: namespace-wide STRICT by default', () => {
    const c = chart();
    new PeerAuthentication(c, 'mtls');
    expect(Testing.synth(c)).toMatchSnapshot();
  });

  test('namespace-wide: security.istio.io/v1, named default, no selector, mode STRICT', () => {
    const c = chart();
    new PeerAuthentication(c, 'mtls');
    const pa = object(c, 'PeerAuthentication', 'default');
    expect(pa.apiVersion).toBe('security.istio.io/v1');
    expect(pa.metadata.namespace).toBe('test');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  test('for one MeshService: selects its app label, named after it, with container-port overrides', () => {
    const c = chart();
    const users = new MeshService(c, 'users', { versions: V1 });
    const pa = new PeerAuthentication(c, 'users-mtls', { service: users, mode: MtlsMode.PERMISSIVE, portLevelMtls: [{ port: 9090, mode: MtlsMode.DISABLE }] });
    pa.addPortLevelMtls({ port: 8443, mode: MtlsMode.STRICT });
    expect(object(c, 'PeerAuthentication', 'users').spec).toEqual({
      selector: { matchLabels: { app: 'users' } },
      mtls: { mode: 'PERMISSIVE' },
      portLevelMtls: { 8443: { mode: 'STRICT' }, 9090: { mode: 'DISABLE' } },
    });
    expect(pa.modeForPort(9090)).toBe(MtlsMode.DISABLE);
    expect(pa.modeForPort(8080)).toBe(MtlsMode.PERMISSIVE);
  });

  test.each([MtlsMode.PERMISSIVE, MtlsMode.DISABLE, MtlsMode.UNSET])('mode %s is rendered as given', (mode) => {
    const c = chart();
    new PeerAuthentication(c, 'mtls', { mode, name: 'migration' });
    expect(object(c, 'PeerAuthentication', 'migration').spec.mtls).toEqual({ mode });
  });

  test('an explicit namespace: a selector-less policy in istio-system is mesh-wide', () => {
    const c = chart(null);
    new PeerAuthentication(c, 'mesh', { namespace: 'istio-system' });
    expect(object(c, 'PeerAuthentication', 'default').metadata.namespace).toBe('istio-system');
  });

  test('fails when port-level overrides are given without a workload selector', () => {
    expect(() => new PeerAuthentication(chart(), 'mtls', { portLevelMtls: [{ port: 8080, mode: MtlsMode.DISABLE }] }))
      .toThrow("PeerAuthentication 'test/mtls': prop 'portLevelMtls[0].port' is 8080, which is a port-level override on a namespace-wide policy (the CRD rule \"portLevelMtls requires selector\"). Fix: set `service`");
  });

  test('fails when addPortLevelMtls() is called on a namespace-wide policy', () => {
    const pa = new PeerAuthentication(chart(), 'mtls');
    expect(() => pa.addPortLevelMtls({ port: 8080, mode: MtlsMode.DISABLE })).toThrow("prop 'addPortLevelMtls(options).port' is 8080, which is a port-level override on a namespace-wide policy");
  });

  test.each([0, 65536, 80.5])('fails when a port-level port is %p', (port) => {
    const c = chart();
    const users = new MeshService(c, 'users', { versions: V1 });
    expect(() => new PeerAuthentication(c, 'p', { service: users, portLevelMtls: [{ port, mode: MtlsMode.DISABLE }] }))
      .toThrow(`prop 'portLevelMtls[0].port' is ${port}, which is not a port number between 1 and 65535`);
  });

  test('fails when a port has two overrides', () => {
    const c = chart();
    const users = new MeshService(c, 'users', { versions: V1 });
    const pa = new PeerAuthentication(c, 'p', { service: users, portLevelMtls: [{ port: 9090, mode: MtlsMode.DISABLE }] });
    expect(() => pa.addPortLevelMtls({ port: 9090, mode: MtlsMode.STRICT })).toThrow("prop 'addPortLevelMtls(options).port' is 9090, which already has a port-level override");
  });

  test('fails when the mode is not an MtlsMode', () => {
    expect(() => new PeerAuthentication(chart(), 'p', { mode: 'strict' as MtlsMode })).toThrow("prop 'mode' is \"strict\", which is not an mTLS mode");
  });

  test('fails when the service is in another namespace', () => {
    const app = Testing.app();
    const users = new MeshService(new Chart(app, 'a', { namespace: 'a' }), 'users', { versions: V1 });
    expect(() => new PeerAuthentication(new Chart(app, 'b', { namespace: 'b' }), 'p', { service: users }))
      .toThrow("PeerAuthentication 'b/p': prop 'service' is \"users\", which is in namespace \"a\" but the policy is in \"b\"");
  });

  test('fails at synth when a namespace has two namespace-wide policies', () => {
    const c = chart();
    new PeerAuthentication(c, 'one');
    new PeerAuthentication(c, 'two', { name: 'other', mode: MtlsMode.PERMISSIVE });
    expect(() => Testing.synth(c)).toThrow("PeerAuthentication 'test/two': namespace \"test\" already has the namespace-wide PeerAuthentication 'test/one'");
  });
});

describe('DestinationRule TLS', () => {
  const dr = (c: Chart, name = 'users') => object(c, 'DestinationRule', name).spec.trafficPolicy.tls;

  test('ISTIO_MUTUAL when the workload is STRICT (a policy added later counts too)', () => {
    const c = chart();
    new MeshService(c, 'users', { versions: V1 });
    new PeerAuthentication(c, 'mtls');
    expect(dr(c)).toEqual({ mode: 'ISTIO_MUTUAL' });
  });

  test('no TLS setting (Istio auto mTLS) without a policy or under PERMISSIVE: a forced ISTIO_MUTUAL would break calls to pods without a sidecar', () => {
    const c = chart();
    new MeshService(c, 'users', { versions: V1 });
    expect(object(c, 'DestinationRule', 'users').spec.trafficPolicy).toBeUndefined();
    new PeerAuthentication(c, 'mtls', { mode: MtlsMode.PERMISSIVE });
    expect(object(c, 'DestinationRule', 'users').spec.trafficPolicy).toBeUndefined();
  });

  test('the default follows a PeerAuthentication that disables mTLS on the service port (added later)', () => {
    const c = chart();
    const users = new MeshService(c, 'users', { versions: V1 });
    new PeerAuthentication(c, 'mtls');
    new PeerAuthentication(c, 'legacy', { service: users, mode: MtlsMode.STRICT, portLevelMtls: [{ port: 8080, mode: MtlsMode.DISABLE }] });
    expect(dr(c)).toEqual({ mode: 'DISABLE' });
  });

  test('SIMPLE and MUTUAL render their certificates', () => {
    const c = chart();
    new MeshService(c, 'db', { versions: V1, tls: DestinationTls.simple({ caCertificates: '/etc/ca.pem', sni: 'db.example.com', subjectAltNames: ['db.example.com'] }) });
    new MeshService(c, 'api', { versions: V1, tls: DestinationTls.mutual({ clientCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem' }) });
    expect(dr(c, 'db')).toEqual({ mode: 'SIMPLE', caCertificates: '/etc/ca.pem', sni: 'db.example.com', subjectAltNames: ['db.example.com'] });
    expect(dr(c, 'api')).toEqual({ mode: 'MUTUAL', clientCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem' });
  });

  test('DISABLE toward a PERMISSIVE workload is fine, even if the namespace is STRICT', () => {
    const c = chart();
    const users = new MeshService(c, 'users', { versions: V1, tls: DestinationTls.disable() });
    new PeerAuthentication(c, 'mtls');
    new PeerAuthentication(c, 'legacy', { service: users, mode: MtlsMode.PERMISSIVE });
    expect(dr(c)).toEqual({ mode: 'DISABLE' });
  });

  test('fails when the DestinationRule disables TLS toward a STRICT namespace (IST0113)', () => {
    const c = chart();
    new MeshService(c, 'users', { versions: V1, tls: DestinationTls.disable() });
    new PeerAuthentication(c, 'mtls');
    expect(() => Testing.synth(c)).toThrow(/IST0113 MTLSPolicyConflict: MeshService 'test\/users': DestinationRule "users" disables TLS \(tls.mode DISABLE\), but PeerAuthentication 'test\/mtls' \(namespace-wide, namespace "test"\) requires STRICT mTLS on port 8080/);
  });

  test('fails when a workload policy makes the port STRICT under a PERMISSIVE namespace (IST0113)', () => {
    const c = chart();
    const users = new MeshService(c, 'users', { versions: V1, tls: DestinationTls.disable() });
    new PeerAuthentication(c, 'mtls', { mode: MtlsMode.PERMISSIVE });
    new PeerAuthentication(c, 'strict', { service: users, mode: MtlsMode.STRICT });
    expect(() => Testing.synth(c)).toThrow(/IST0113 MTLSPolicyConflict: .*PeerAuthentication 'test\/strict' \(selector app=users/);
  });

  test('fails when a mesh-wide STRICT policy applies and the namespace does not override it (IST0113)', () => {
    const app = Testing.app();
    new PeerAuthentication(new Chart(app, 'istio', { namespace: 'istio-system' }), 'mesh');
    new MeshService(new Chart(app, 'shop', { namespace: 'shop' }), 'users', { versions: V1, tls: DestinationTls.disable() });
    expect(() => app.synth()).toThrow(/IST0113 MTLSPolicyConflict/);
  });

  test('fails when ISTIO_MUTUAL is forced toward a workload with mTLS disabled (IST0113)', () => {
    const c = chart();
    const users = new MeshService(c, 'users', { versions: V1, tls: DestinationTls.istioMutual() });
    new PeerAuthentication(c, 'off', { service: users, mode: MtlsMode.DISABLE });
    expect(() => Testing.synth(c)).toThrow(/IST0113 MTLSPolicyConflict: .*sends Istio mTLS \(tls.mode ISTIO_MUTUAL\), but PeerAuthentication 'test\/off'/);
  });

  test.each([
    ['SIMPLE', DestinationTls.simple()],
    ['MUTUAL', DestinationTls.mutual({ clientCertificate: '/c.pem', privateKey: '/k.pem' })],
  ])('fails when %s TLS has no caCertificates (IST0128)', (mode, tls) => {
    const c = chart();
    new MeshService(c, 'db', { versions: V1, tls });
    expect(() => Testing.synth(c)).toThrow(`IST0128 NoServerCertificateVerificationDestinationLevel: MeshService 'test/db': DestinationRule "db" has TLS mode set to ${mode} but no caCertificates are set to validate server identity for host: db`);
  });

  test('fails when only a credentialName is given: istioctl (destinationrule/ca-certificates.go) checks caCertificates only', () => {
    const c = chart();
    new MeshService(c, 'db', { versions: V1, tls: DestinationTls.simple({ credentialName: 'db-client' }) });
    expect(() => Testing.synth(c)).toThrow('IST0128 NoServerCertificateVerificationDestinationLevel');
  });

  test('credentialName together with caCertificates renders both', () => {
    const c = chart();
    new MeshService(c, 'db', { versions: V1, tls: DestinationTls.simple({ credentialName: 'db-client', caCertificates: '/etc/ca.pem' }) });
    expect(dr(c, 'db')).toEqual({ mode: 'SIMPLE', credentialName: 'db-client', caCertificates: '/etc/ca.pem' });
  });

  test('fails when MUTUAL has neither a client certificate and key nor a credentialName', () => {
    expect(() => new MeshService(chart(), 'db', { versions: V1, tls: DestinationTls.mutual({ caCertificates: '/ca.pem' }) }))
      .toThrow("MeshService 'test/db': prop 'tls.clientCertificate' is undefined, which leaves MUTUAL TLS without a client certificate and key");
  });
});
