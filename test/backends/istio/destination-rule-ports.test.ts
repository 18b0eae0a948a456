// The DestinationRule's client TLS per port: a PeerAuthentication `portLevelMtls` that differs
// from the primary port's mode gets a `portLevelSettings` entry, else clients would send mTLS to a
// plain-text port (or plain text to a STRICT one). With `tls` chosen in props, IST0113 checks every port.
import { Chart, Testing } from 'cdk8s';
import { DestinationTls, IstioRouting, IstioSidecar, Mesh, MeshNamespace, MeshProtocol, MeshService, MtlsMode, PeerAuthentication } from '../../../src';

const PORTS = [{ port: 8080, protocol: MeshProtocol.HTTP }, { port: 9000, protocol: MeshProtocol.HTTP, name: 'http-plain' }];

function legacy(overrides: Array<{ port: number; mode: MtlsMode }>, opts: { gatewayApi?: boolean; tls?: DestinationTls } = {}) {
  const app = Testing.app();
  if (opts.gatewayApi) Mesh.use(app, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
  const c = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  new MeshNamespace(c, 'ns');
  const svc = new MeshService(c, 'legacy', { ports: PORTS, versions: [{ name: 'v1', image: 'ghcr.io/acme/legacy:1' }], tls: opts.tls });
  if (overrides.length) new PeerAuthentication(c, 'legacy-mtls', { service: svc, portLevelMtls: overrides });
  return c;
}
const policy = (c: Chart) => Testing.synth(c).find((o: any) => o.kind === 'DestinationRule' && o.metadata.name === 'legacy').spec.trafficPolicy;

test('a port with mTLS disabled under a STRICT primary: DISABLE for that port', () => {
  expect(policy(legacy([{ port: 9000, mode: MtlsMode.DISABLE }]))).toEqual({ tls: { mode: 'ISTIO_MUTUAL' }, portLevelSettings: [{ port: { number: 9000 }, tls: { mode: 'DISABLE' } }] });
});

test('the primary disabled and the other port STRICT: ISTIO_MUTUAL for that port', () => {
  expect(policy(legacy([{ port: 8080, mode: MtlsMode.DISABLE }]))).toEqual({ tls: { mode: 'DISABLE' }, portLevelSettings: [{ port: { number: 9000 }, tls: { mode: 'ISTIO_MUTUAL' } }] });
});

test('a PERMISSIVE port takes either, and the same mode everywhere needs no port-level settings', () => {
  expect(policy(legacy([{ port: 9000, mode: MtlsMode.PERMISSIVE }]))).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
  expect(policy(legacy([]))).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
});

test('Gateway API routing without a DestinationRule leaves each port to auto mTLS (which reads the PeerAuthentication per port)', () => {
  expect(Testing.synth(legacy([{ port: 9000, mode: MtlsMode.DISABLE }], { gatewayApi: true })).filter((o: any) => o.kind === 'DestinationRule')).toEqual([]);
});

test('fails when a chosen tls conflicts with the mode of any port (IST0113), not only the primary', () => {
  expect(() => Testing.synth(legacy([{ port: 9000, mode: MtlsMode.DISABLE }], { tls: DestinationTls.istioMutual() })))
    .toThrow('IST0113 MTLSPolicyConflict: MeshService \'shop/legacy\': DestinationRule "legacy" sends Istio mTLS (tls.mode ISTIO_MUTUAL), but PeerAuthentication \'shop/legacy-mtls\' (selector app=legacy, namespace "shop") disables mTLS on port 9000');
});
