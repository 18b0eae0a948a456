// Issue 11 kind 3: policies that cannot take effect given the rest of the app.
import { Testing } from 'cdk8s';
import {
  AuthorizationPolicy, Caller, MeshMonitor, MeshNamespace, MeshService, MetricsEndpoint, MtlsMode, PeerAuthentication, ScrapeTarget,
} from '../src';
import { chart } from './util';

const versions = [{ name: 'v1', image: 'x:1' }];

describe('policies that cannot take effect', () => {
  test('fails when a monitor scrapes the application port in plain text of a STRICT workload (MeshNamespace)', () => {
    const c = chart('shop');
    new MeshNamespace(c, 'ns');
    const svc = new MeshService(c, 'users', { versions });
    new MeshMonitor(c, 'mon', { service: svc, scrape: ScrapeTarget.APPLICATION });
    expect(() => Testing.synth(c)).toThrow("MeshMonitor 'test/mon': prop 'scrape' is \"application\", which scrapes port 8080 of MeshService \"users\" in plain HTTP, but PeerAuthentication 'test/ns/PeerAuthentication' (namespace-wide, namespace \"shop\") makes that port STRICT");
  });

  test('renders the application scrape when the metrics port has a PERMISSIVE exception, or the namespace is PERMISSIVE', () => {
    const c = chart('shop');
    new PeerAuthentication(c, 'mtls');
    const svc = new MeshService(c, 'users', { versions, metrics: MetricsEndpoint.http({ port: 9090 }) });
    new PeerAuthentication(c, 'metrics-port', { service: svc, mode: MtlsMode.UNSET, portLevelMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }] });
    new MeshMonitor(c, 'mon', { service: svc, scrape: ScrapeTarget.APPLICATION });
    expect(() => Testing.synth(c)).not.toThrow();
    const open = chart('legacy');
    new PeerAuthentication(open, 'mtls', { mode: MtlsMode.PERMISSIVE });
    new MeshMonitor(open, 'mon', { service: new MeshService(open, 'users', { versions }), scrape: ScrapeTarget.APPLICATION });
    expect(() => Testing.synth(open)).not.toThrow();
  });

  test('fails when callers are allowed by identity on a workload whose mTLS is disabled', () => {
    const c = chart('shop');
    const svc = new MeshService(c, 'legacy', { versions });
    const frontend = new MeshService(c, 'frontend', { versions });
    new PeerAuthentication(c, 'plain', { service: svc, mode: MtlsMode.DISABLE });
    new AuthorizationPolicy(c, 'callers', { service: svc }).allow({ from: [Caller.meshService(frontend)] });
    expect(() => Testing.synth(c)).toThrow("AuthorizationPolicy 'test/callers': prop 'allow(rule).from' names callers by identity, but PeerAuthentication 'test/plain' (selector app=legacy, namespace \"shop\") disables mTLS on port 8080 of MeshService \"legacy\" ('test/legacy'): plain-text requests carry no identity, so every request is denied");
  });

  test('fails for a namespace-wide policy allowing a namespace when one workload disables mTLS; method-only rules are fine', () => {
    const c = chart('shop');
    new PeerAuthentication(c, 'plain', { mode: MtlsMode.DISABLE });
    new MeshService(c, 'legacy', { versions });
    new AuthorizationPolicy(c, 'get-only').allow({ methods: ['GET'] });
    expect(() => Testing.synth(c)).not.toThrow();
    new AuthorizationPolicy(c, 'ops').allow({ from: [Caller.namespace('ops')] });
    expect(() => Testing.synth(c)).toThrow("AuthorizationPolicy 'test/ops': prop 'allow(rule).from' names callers by namespace");
  });
});
