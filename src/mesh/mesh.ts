
import { IConstruct } from 'constructs';
import { IstioSidecar } from '../backends/istio/istio-sidecar';
import { propError } from '../errors';
import { appModelOf } from './app-model';
import type { IMeshBackend } from './backend';

const chosen = new WeakMap<IConstruct, IMeshBackend>();
const resolved = new WeakMap<IConstruct, IMeshBackend>();
let defaultBackend: IMeshBackend | undefined;

/**
 * Chooses the data plane (backend) the mesh constructs of a chart — or of a whole app — render
 * for. Every MeshService, TrafficSplit, policy and monitor asks `Mesh.of(this)` for its backend:
 * the nearest scope's choice, else Istio sidecar mode with VirtualService routing.
 *
 * @example
 * Mesh.use(chart, new IstioSidecar({ routing: IstioRouting.GATEWAY_API }));
 */
export class Mesh {
  /**
   * Renders every mesh construct under `scope` (a Chart, or the App) for `backend`. Call it before
   * adding mesh constructs to the scope.
   * @throws if a mesh construct under `scope` was already created for another backend
   */
  public static use(scope: IConstruct, backend: IMeshBackend): void {
    if (!backend || typeof backend.id !== 'string' || typeof backend.renderService !== 'function') {
      throw propError('Mesh', scope.node.path || '(app)', 'backend', backend, 'is not a mesh backend',
        'pass a backend such as new IstioSidecar()');
    }
    const early = scope.node.findAll().find((c) => c !== scope && resolved.has(c) && resolved.get(c)!.id !== backend.id);
    if (early) {
      throw propError('Mesh', scope.node.path || '(app)', 'backend', backend.name,
        `is chosen after '${early.node.path}' was already rendered for ${resolved.get(early)!.name}`,
        'call Mesh.use(scope, backend) before adding mesh constructs to the scope');
    }
    chosen.set(scope, backend);
  }

  /** The backend mesh constructs under `scope` render for (Istio sidecar mode unless chosen). */
  public static of(scope: IConstruct): IMeshBackend {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      const b = chosen.get(c);
      if (b) return b;
    }
    return defaultBackend ??= new IstioSidecar();
  }

  /**
   * The backend for a mesh construct, recorded so the app can check that one namespace uses one
   * backend.
   * @internal
   */
  public static _forConstruct(construct: IConstruct, kind: string, namespace: string | undefined): IMeshBackend {
    const backend = Mesh.of(construct);
    resolved.set(construct, backend);
    appModelOf(construct).backendUses.push({ path: construct.node.path, kind, namespace, backendId: backend.id, backendName: backend.name });
    return backend;
  }

  private constructor() {}
}
