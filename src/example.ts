// The example app's chart: the seed design note's `myservice`, deployed to the mesh.
// src/main.ts synthesizes it; the tests snapshot it. Read it as a showcase of the package.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshService } from './index';

/** Namespace `mesh-demo`: the seed's `myservice` in two versions. */
export class MeshDemoChart extends Chart {
  public readonly myservice: MeshService;

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
  }
}
