// Everything the mesh constructs of one app declared, as plain data, in declaration order: what
// whole-app analysis reads. Lookup maps are built once per synth (the lists only grow while the
// app is built; analysis runs after), so every check is linear in the app's size.
import type { AuthorizationModel } from './authorization';
import { MtlsIndex, MtlsPolicyModel } from './mtls';
import type { ServiceModel } from './service';

/** A routing object of the app, for conflict checks (one per TrafficSplit). @internal */
export interface RoutingEntry {
  readonly path: string;
  readonly kind: string;
  /** `<service>.<namespace>`: the host routed. */
  readonly host: string;
  /** The backend that renders it (its `id`). */
  readonly backend: string;
  /** Namespace of the routing object. @default - the chart has none */
  readonly namespace?: string;
  /**
   * Its rules and their weighted destinations (rules added later included), for analysis across
   * constructs — the part of the RoutingModel they read (structural: models/routing imports this file).
   */
  readonly model?: () => { readonly rules: ReadonlyArray<RoutedRule> };
}

/** A rule of a routing entry, as cross-construct analysis reads it. @internal */
export interface RoutedRule {
  readonly prop: string;
  readonly destinations: ReadonlyArray<{ readonly version: string; readonly weight?: number }>;
}

/** Which backend renders which construct, for the "one backend per namespace" check. @internal */
export interface BackendUse {
  readonly path: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly backendId: string;
  readonly backendName: string;
}

/** @internal */
export class AppModel {
  public readonly services: ServiceModel[] = [];
  public readonly mtlsPolicies: MtlsPolicyModel[] = [];
  public readonly authorizations: AuthorizationModel[] = [];
  public readonly routings: RoutingEntry[] = [];
  public readonly backendUses: BackendUse[] = [];
  /** Other kinds a backend or construct records (e.g. Istio Telemetry), by kind. */
  private readonly extra = new Map<string, unknown[]>();
  private cache?: { readonly size: number; readonly values: Map<string, unknown> };

  /** Records a model of another kind. */
  public add<T>(kind: string, model: T): void {
    let list = this.extra.get(kind);
    if (!list) this.extra.set(kind, list = []);
    list.push(model);
  }

  /** Every model recorded under `kind`, in declaration order. */
  public list<T>(kind: string): readonly T[] {
    return (this.extra.get(kind) ?? []) as T[];
  }

  /**
   * A value derived from the whole app, computed once and reused until the app changes (a model
   * recorded after the first call — e.g. by a test that adds constructs between two synths —
   * invalidates it).
   */
  public derived<T>(key: string, compute: (app: AppModel) => T): T {
    const size = this.size();
    if (!this.cache || this.cache.size !== size) this.cache = { size, values: new Map() };
    if (!this.cache.values.has(key)) this.cache.values.set(key, compute(this));
    return this.cache.values.get(key) as T;
  }

  /** mTLS policies indexed by scope. */
  public mtlsIndex(): MtlsIndex {
    return this.derived('mtls', (app) => new MtlsIndex(app.mtlsPolicies));
  }

  /** Services by `<namespace>|<name>`, every declaration kept (duplicates are an error). */
  public servicesByName(): Map<string, ServiceModel[]> {
    return this.derived('services', (app) => groupBy(app.services, (s) => `${s.namespace ?? ''}|${s.serviceName}`));
  }

  /** Routing entries by host, in declaration order. */
  public routingsByHost(): Map<string, RoutingEntry[]> {
    return this.derived('routings', (app) => groupBy(app.routings, (r) => r.host));
  }

  private size(): number {
    let n = this.services.length + this.mtlsPolicies.length + this.authorizations.length + this.routings.length + this.backendUses.length;
    for (const list of this.extra.values()) n += list.length;
    return n;
  }
}

/** Groups `items` by `key`, keeping declaration order inside each group. @internal */
export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = out.get(k);
    if (!list) out.set(k, list = []);
    list.push(item);
  }
  return out;
}
