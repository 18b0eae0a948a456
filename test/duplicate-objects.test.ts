import { Chart, Testing } from 'cdk8s';
import { AuthorizationPolicy, MeshNamespace, MeshService, MtlsMode, PeerAuthentication } from '../src';
import { chart } from './util';

const V1 = [{ name: 'v1', image: 'ghcr.io/acme/app:1.0.0' }];

describe('objects with one kind, namespace and name', () => {
  test('fails when a service named "default" gets a PeerAuthentication that would replace the namespace-wide STRICT one', () => {
    const c = chart('shop');
    new MeshNamespace(c, 'ns');
    const svc = new MeshService(c, 'default', { versions: V1 });
    new PeerAuthentication(c, 'pa', { service: svc, mode: MtlsMode.PERMISSIVE });
    expect(() => Testing.synth(c)).toThrow(
      /PeerAuthentication shop\/default is emitted twice, by 'test\/ns\/.*' and 'test\/pa\/Resource'; kubectl apply would keep only one of them\. Fix: give one of them another name/);
  });

  test('fails when two services produce the same Deployment name (a + b-c, a-b + c)', () => {
    const c = chart();
    new MeshService(c, 'a', { versions: [{ name: 'b-c', image: 'x:1' }] });
    new MeshService(c, 'a-b', { versions: [{ name: 'c', image: 'x:1' }] });
    expect(() => Testing.synth(c)).toThrow("Deployment test/a-b-c is emitted twice, by 'test/a/Deployment-b-c/Resource' and 'test/a-b/Deployment-c/Resource'");
  });

  test('fails when two AuthorizationPolicies share a name', () => {
    const c = chart();
    new AuthorizationPolicy(c, 'p', { denyAll: true });
    new AuthorizationPolicy(c, 'q', { name: 'p', denyAll: true });
    expect(() => Testing.synth(c)).toThrow('AuthorizationPolicy test/p is emitted twice');
  });

  test('across charts of one namespace, each duplicate is reported once', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'shop' });
    new MeshService(a, 'users', { versions: V1 });
    new AuthorizationPolicy(b, 'users', { name: 'users', denyAll: true }); // another kind: fine
    new MeshService(b, 'users-b', { serviceName: 'users', versions: [{ name: 'v2', image: 'x:2' }] });
    let message = '';
    try { Testing.synth(b); } catch (e) { message = (e as Error).message; }
    const line = "Service shop/users is emitted twice, by 'a/users/Service/Resource' and 'b/users-b/Service/Resource'";
    expect(message.split(line).length - 1).toBe(1);
    expect(message).not.toContain('AuthorizationPolicy shop/users');
  });

  test('the same name in two namespaces, or for two kinds, is fine', () => {
    const app = Testing.app();
    new MeshService(new Chart(app, 'a', { namespace: 'a' }), 'users', { versions: V1 });
    const b = new Chart(app, 'b', { namespace: 'b' });
    new MeshService(b, 'users', { versions: V1 });
    expect(() => app.synthYaml()).not.toThrow();
  });
});
