import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { propError } from '../errors';
import { PropRef, requireDns1123Label, requireLabels } from '../names';
import { MtlsMode, PeerAuthentication } from './peer-authentication';
import { PodSecurityStandard } from './pod-security';
import { guardDuplicateObjects } from '../analysis/duplicate-objects';
import { mixedBackends } from '../analysis/mesh-services';
import { withoutApiDefaults } from '../api-defaults';
import { appModelOf } from '../mesh/app-model';
import type { IMeshBackend, NamespaceModel } from '../mesh/backend';
import { Mesh } from '../mesh/mesh';
import { keepJsonPatchesUnder } from '../api-object-patches';

/** Props of a MeshNamespace. */
export interface MeshNamespaceProps {
  /**
   * Name of the namespace.
   * @default - the chart's namespace
   */
  readonly name?: string;
  /**
   * Istio revision whose injector serves this namespace: sets `istio.io/rev` **instead of**
   * `istio-injection=enabled` (both at once is IST0123).
   * @default - no revision: `istio-injection=enabled`
   * @see https://istio.io/latest/docs/setup/upgrade/canary/
   */
  readonly revision?: string;
  /**
   * Pod Security Standards level the namespace's labels warn and audit at (and enforce, with
   * `enforcePodSecurity`).
   * @default PodSecurityStandard.RESTRICTED
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly podSecurity?: PodSecurityStandard;
  /**
   * Also enforce `podSecurity` (label `pod-security.kubernetes.io/enforce`). Off by default in
   * Istio sidecar mode because enforcing `baseline` or `restricted` rejects every injected pod
   * unless the cluster runs the Istio CNI node agent: the default `istio-init` container adds
   * NET_ADMIN and NET_RAW. On by default in Istio ambient mode, which adds no container to pods.
   * The app containers MeshService creates meet `restricted` either way.
   * @default - the backend's choice: false (warn and audit only) for Istio sidecar, true for Istio ambient
   * @see https://istio.io/latest/docs/setup/additional-setup/pod-security-admission/
   */
  readonly enforcePodSecurity?: boolean;
  /**
   * mTLS mode of the namespace-wide PeerAuthentication `default` created with the namespace.
   * @default MtlsMode.STRICT
   */
  readonly mtlsMode?: MtlsMode;
  /**
   * Create the namespace-wide PeerAuthentication (turn off if another construct declares it).
   * @default true
   */
  readonly peerAuthentication?: boolean;
  /**
   * Extra labels on the Namespace (the injection and PSS labels can't be overridden here).
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

const KIND = 'MeshNamespace';
const PSS = ['enforce', 'warn', 'audit'].map((mode) => `pod-security.kubernetes.io/${mode}`);

/**
 * A Namespace in the mesh: enrolled in the chart's data plane (Istio: sidecar injection on), Pod
 * Security Standards warned and audited (enforced on request), and a namespace-wide STRICT
 * PeerAuthentication.
 *
 * @example
 * new MeshNamespace(chart, 'namespace');   // name: the chart's namespace
 */
export class MeshNamespace extends Construct {
  /** Name of the namespace. */
  public readonly name: string;
  /** The Namespace object. */
  public readonly namespace: kplus.Namespace;
  /** The namespace-wide PeerAuthentication, unless `peerAuthentication: false`. */
  public readonly peerAuthentication?: PeerAuthentication;
  /** The data plane the namespace is enrolled in. */
  public readonly backend: IMeshBackend;

  public constructor(scope: Construct, id: string, props: MeshNamespaceProps = {}) {
    super(scope, id);
    guardDuplicateObjects(this);
    const ref = (prop: string): PropRef => ({ construct: KIND, path: this.node.path, prop });
    const chartNamespace = Chart.of(this).namespace;
    if (props.name === undefined && chartNamespace === undefined) {
      throw propError(KIND, this.node.path, 'name', undefined, 'is unset and the chart has no namespace',
        'set name, or give the chart a namespace (new Chart(app, id, { namespace }))');
    }
    this.name = requireDns1123Label(ref('name'), props.name ?? chartNamespace!);
    const level = props.podSecurity ?? PodSecurityStandard.RESTRICTED;
    if (!Object.values(PodSecurityStandard).includes(level)) {
      throw propError(KIND, this.node.path, 'podSecurity', level, 'is not a Pod Security Standards level', 'use PodSecurityStandard.RESTRICTED, BASELINE or PRIVILEGED');
    }
    const labels = requireLabels(ref('labels'), props.labels);
    if (props.revision !== undefined) requireDns1123Label(ref('revision'), props.revision);
    this.backend = Mesh._forConstruct(this, KIND, this.name);
    const enforce = props.enforcePodSecurity ?? this.backend.enforcesPodSecurityByDefault ?? false;
    const model: NamespaceModel = { path: this.node.path, name: this.name, revision: props.revision, enforcePodSecurity: enforce };
    const mesh = this.backend.namespaceMetadata(model, appModelOf(this));
    for (const managed of mesh.managedLabels) {
      if (managed.key in labels) throw propError(KIND, this.node.path, 'labels', managed.key, managed.why, managed.fix);
    }
    for (const key of PSS) {
      if (key in labels) throw propError(KIND, this.node.path, 'labels', key, 'is managed by MeshNamespace', 'use the `podSecurity` prop');
    }
    Object.assign(labels, mesh.labels);
    for (const key of PSS) {
      if (key.endsWith('/enforce') && !enforce) continue;
      labels[key] = level;
    }

    this.namespace = new kplus.Namespace(this, 'Resource', { metadata: { name: this.name, labels, annotations: mesh.annotations } });
    withoutApiDefaults(ApiObject.of(this.namespace));
    const app = appModelOf(this);
    this.node.addValidation({ validate: () => mixedBackends(app, this.node.path, this.name, this.backend) });
    keepJsonPatchesUnder(this);
    // Namespaces are cluster-scoped; cdk8s copies the chart's namespace onto every object.
    if (chartNamespace !== undefined) ApiObject.of(this.namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    // Objects declared before this one would be written before the Namespace, and a first
    // `kubectl apply -f` would fail on them; later ones follow it anyway. Same chart only: a
    // dependency across charts makes cdk8s rename its output files.
    const namespaceObject = ApiObject.of(this.namespace);
    for (const c of Chart.of(this).node.findAll()) {
      if (ApiObject.isApiObject(c) && c !== namespaceObject && c.metadata.namespace === this.name) c.node.addDependency(namespaceObject);
    }

    const rendering = this.backend.renderNamespace?.(this, model, app);
    if (rendering?.validate) this.node.addValidation({ validate: () => rendering.validate!() });

    if (props.peerAuthentication ?? true) {
      this.peerAuthentication = new PeerAuthentication(this, 'PeerAuthentication', {
        namespace: this.name,
        mode: props.mtlsMode ?? MtlsMode.STRICT,
      });
    }
  }
}
