import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { MeshNamespace, MeshService, MtlsMode, PodSecurityOptions, PodSecurityStandard } from '../../src';
import { chart, object, objects } from '../util';

function deploy(podSecurity?: PodSecurityOptions) {
  const c = chart();
  new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0', podSecurity }] });
  const pod = object(c, 'Deployment', 'users-v1').spec.template.spec;
  return { c, pod, container: pod.containers[0] };
}

describe('pod security', () => {
  test('pods meet the PSS restricted profile by default', () => {
    const { pod, container } = deploy();
    // restricted: runAsNonRoot, no privilege escalation, drop ALL, seccomp RuntimeDefault; plus hardening.
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      privileged: false,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
      readOnlyRootFilesystem: true,
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.volumes).toBeUndefined();
  });

  test('per-version overrides: UID/GID on the app container, fsGroup on the pod, writable /tmp, token', () => {
    const { pod, container } = deploy({
      runAsUser: 10001, runAsGroup: 10001, fsGroup: 2000, readOnlyRootFilesystem: false,
      addCapabilities: [kplus.Capability.NET_BIND_SERVICE], writablePaths: ['/tmp', '/var/cache/nginx'], automountServiceAccountToken: true,
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 2000 });
    expect(pod.securityContext.runAsUser).toBeUndefined();
    expect(container.securityContext).toMatchObject({
      runAsUser: 10001, runAsGroup: 10001, readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    });
    expect(container.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'writable-tmp' }, { mountPath: '/var/cache/nginx', name: 'writable-var-cache-nginx' }]);
    expect(pod.volumes).toEqual([{ name: 'writable-tmp', emptyDir: {} }, { name: 'writable-var-cache-nginx', emptyDir: {} }]);
    expect(pod.automountServiceAccountToken).toBe(true);
  });

  test('overrides apply to one version only', () => {
    const c = chart();
    new MeshService(c, 'users', {
      versions: [
        { name: 'v1', image: 'x:1' },
        { name: 'v2', image: 'x:2', podSecurity: { runAsUser: 10001 } },
      ],
    });
    expect(object(c, 'Deployment', 'users-v1').spec.template.spec.containers[0].securityContext.runAsUser).toBeUndefined();
    expect(object(c, 'Deployment', 'users-v2').spec.template.spec.containers[0].securityContext.runAsUser).toBe(10001);
  });

  test('a lower standard allows what it permits', () => {
    const { container } = deploy({ standard: PodSecurityStandard.BASELINE, allowPrivilegeEscalation: true, addCapabilities: [kplus.Capability.CHOWN] });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'], add: ['CHOWN'] } });
    expect(deploy({ standard: PodSecurityStandard.PRIVILEGED, addCapabilities: [kplus.Capability.SYS_ADMIN] }).container.securityContext.capabilities.add).toEqual(['SYS_ADMIN']);
  });

  test('fails when the app runs as UID 1337 (IST0144)', () => {
    expect(() => deploy({ runAsUser: 1337 })).toThrow("MeshService 'test/users': prop 'versions[0].podSecurity.runAsUser' is 1337, which is reserved for the Istio sidecar (IST0144 InvalidApplicationUID)");
  });

  test('fails when the app runs as GID 1337', () => {
    expect(() => deploy({ runAsGroup: 1337 })).toThrow("prop 'versions[0].podSecurity.runAsGroup' is 1337, which is the Istio sidecar's GID");
  });

  test('fails when the app runs as root', () => {
    expect(() => deploy({ runAsUser: 0 })).toThrow("prop 'versions[0].podSecurity.runAsUser' is 0, which is root");
  });

  test.each([-1, 1.5])('fails when runAsUser is %p', (uid) => {
    expect(() => deploy({ runAsUser: uid })).toThrow(`prop 'versions[0].podSecurity.runAsUser' is ${uid}, which is not a whole number ≥ 0`);
  });

  test('fails when privilege escalation is allowed under restricted', () => {
    expect(() => deploy({ allowPrivilegeEscalation: true })).toThrow("prop 'versions[0].podSecurity.allowPrivilegeEscalation' is true, which is not allowed by the \"restricted\" Pod Security Standard");
  });

  test('fails when a capability other than NET_BIND_SERVICE is added under restricted', () => {
    expect(() => deploy({ addCapabilities: [kplus.Capability.NET_ADMIN] })).toThrow("prop 'versions[0].podSecurity.addCapabilities' is \"NET_ADMIN\", which is not allowed by the \"restricted\" Pod Security Standard. Fix: add only NET_BIND_SERVICE");
  });

  test('fails when baseline is asked for a capability outside its list', () => {
    expect(() => deploy({ standard: PodSecurityStandard.BASELINE, addCapabilities: [kplus.Capability.SYS_ADMIN] })).toThrow('"SYS_ADMIN", which is not allowed by the "baseline" Pod Security Standard');
  });

  test.each(['tmp', '/', '/tmp/', '/a/../b', '/tmp dir'])('fails when a writable path is %p', (path) => {
    expect(() => deploy({ writablePaths: [path] })).toThrow(`prop 'versions[0].podSecurity.writablePaths[0]' is ${JSON.stringify(path)}, which is not`);
  });

  test('fails when a writable path is listed twice', () => {
    expect(() => deploy({ writablePaths: ['/tmp', '/tmp'] })).toThrow("prop 'versions[0].podSecurity.writablePaths[1]' is \"/tmp\", which is listed twice");
  });
});

describe('MeshNamespace', () => {
  test('snapshot: injection on, PSS restricted, namespace-wide STRICT PeerAuthentication', () => {
    const c = chart('shop');
    new MeshNamespace(c, 'ns');
    expect(Testing.synth(c)).toMatchSnapshot();
  });

  test('the Namespace is cluster-scoped and labelled istio-injection=enabled, never also istio.io/rev', () => {
    const c = chart('shop');
    new MeshNamespace(c, 'ns');
    const ns = object(c, 'Namespace', 'shop');
    expect(ns.metadata.namespace).toBeUndefined();
    // warn + audit only: enforcing restricted would reject pods with istio-init (no Istio CNI)
    expect(ns.metadata.labels).toEqual({
      'istio-injection': 'enabled',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(object(c, 'PeerAuthentication', 'default')).toMatchObject({ metadata: { namespace: 'shop' }, spec: { mtls: { mode: 'STRICT' } } });
  });

  test('a revision replaces the injection label; PSS level, mode and PeerAuthentication are options', () => {
    const c = chart(null);
    new MeshNamespace(c, 'ns', { name: 'legacy', revision: 'canary', podSecurity: PodSecurityStandard.BASELINE, enforcePodSecurity: true, mtlsMode: MtlsMode.PERMISSIVE });
    const labels = object(c, 'Namespace', 'legacy').metadata.labels;
    expect(labels['istio.io/rev']).toBe('canary');
    expect(labels['istio-injection']).toBeUndefined();
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(object(c, 'PeerAuthentication', 'default')).toMatchObject({ metadata: { namespace: 'legacy' }, spec: { mtls: { mode: 'PERMISSIVE' } } });

    const d = chart('shop');
    new MeshNamespace(d, 'ns', { peerAuthentication: false });
    expect(objects(d, 'PeerAuthentication')).toEqual([]);
  });

  test.each(['istio-injection', 'istio.io/rev'])('fails when label %p is given (IST0123)', (key) => {
    expect(() => new MeshNamespace(chart('shop'), 'ns', { labels: { [key]: 'x' } })).toThrow(`prop 'labels' is ${JSON.stringify(key)}, which is managed by MeshNamespace (both injection labels at once is IST0123 NamespaceMultipleInjectionLabels)`);
  });

  test('is written before objects of its namespace declared earlier in the chart, so a first kubectl apply -f works', () => {
    const c = chart('shop');
    new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }] });
    new MeshNamespace(c, 'ns');
    const kinds = Testing.synth(c).map((o) => o.kind);
    expect(kinds[0]).toBe('Namespace');
    expect(kinds).toEqual(expect.arrayContaining(['ServiceAccount', 'Service', 'DestinationRule', 'Deployment', 'PeerAuthentication']));
  });

  test('fails when neither a name nor a chart namespace is given', () => {
    expect(() => new MeshNamespace(chart(null), 'ns')).toThrow("MeshNamespace 'test/ns': prop 'name' is undefined, which is unset and the chart has no namespace");
  });
});
