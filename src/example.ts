// The example app's chart: the seed design note's `myservice`, deployed to the mesh.
// src/main.ts synthesizes it; the tests snapshot it. Read it as a showcase of the package.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AuthorizationPolicy, Caller, MeshService, MtlsMode, PeerAuthentication } from './index';

/** Namespace `mesh-demo`: the seed's `myservice` in two versions, called by `frontend`, under STRICT mTLS. */
export class MeshDemoChart extends Chart {
  public readonly myservice: MeshService;
  public readonly frontend: MeshService;

  public constructor(scope: Construct, id: string = 'mesh-demo') {
    super(scope, id, { namespace: 'mesh-demo', disableResourceNameHashes: true });

    // The seed's Go service: listens on :8080, GET /health (liveness), GET /ready (readiness) —
    // MeshService's defaults, spelled out here for the reader.
    this.myservice = new MeshService(this, 'myservice', {
      port: 8080,
      versions: [
        { name: 'v1', image: 'ghcr.io/acme/myservice:1.0.0', replicas: 2 },
        { name: 'v2', image: 'ghcr.io/acme/myservice:2.0.0', replicas: 1 },
      ],
    });

    // A caller, with its own ServiceAccount: its mTLS identity is cluster.local/ns/mesh-demo/sa/frontend.
    this.frontend = new MeshService(this, 'frontend', {
      versions: [{ name: 'v1', image: 'ghcr.io/acme/frontend:1.0.0' }],
    });

    // Every sidecar in mesh-demo accepts mutual TLS only; DestinationRules use ISTIO_MUTUAL.
    new PeerAuthentication(this, 'mtls', { mode: MtlsMode.STRICT });

    // Zero trust: myservice answers frontend's GET /api/users and nothing else.
    const policy = new AuthorizationPolicy(this, 'myservice-callers', { service: this.myservice });
    policy.allow({ from: [Caller.meshService(this.frontend)], methods: ['GET'], paths: ['/api/users'] });
  }
}
