// The `labels` prop of a MeshService: valid label keys and values, none the package sets itself,
// none a mesh reads to decide whether and how the pods are meshed.
import { propError } from './errors';
import { podLabels } from './models/service';
import { PropRef, requireLabels } from './names';

/** Labels the package sets itself: a user value would be overwritten on some objects and kept on others. */
const OWN_LABELS = Object.keys(podLabels('service', 'version'));
/**
 * Labels that change how a mesh treats the pods (injection, data-plane mode, waypoint use, revision,
 * canonical service): on every object of the service they would take it out of the mesh (or into
 * another one) while the package still renders STRICT mTLS and authorization for it.
 */
const MESH_CONTROL_LABELS = [
  'sidecar.istio.io/inject', 'istio.io/rev', 'istio.io/dataplane-mode', 'istio.io/use-waypoint', 'istio.io/use-waypoint-namespace',
  'istio.io/ingress-use-waypoint', 'istio.io/waypoint-for', 'security.istio.io/tlsMode', 'service.istio.io/canonical-name',
  'service.istio.io/canonical-revision', 'linkerd.io/inject', 'linkerd.io/control-plane-ns',
];

/** The `labels` prop, checked (see the file comment). @internal */
export function requireServiceLabels(ref: PropRef, labels: { readonly [key: string]: string } | undefined): { [key: string]: string } {
  const checked = requireLabels(ref, labels);
  for (const key of Object.keys(checked)) {
    if (OWN_LABELS.includes(key)) {
      throw propError(ref.construct, ref.path, `${ref.prop}[${JSON.stringify(key)}]`, checked[key],
        `sets ${JSON.stringify(key)}, which the package sets itself from serviceName and the version names (selectors and subsets read it)`,
        `drop it: ${key.includes('version') ? 'name the versions instead' : 'set serviceName instead'}`);
    }
    if (MESH_CONTROL_LABELS.includes(key)) {
      throw propError(ref.construct, ref.path, `${ref.prop}[${JSON.stringify(key)}]`, checked[key],
        'is a label the mesh reads to decide whether and how the pods are meshed: the service would leave the mesh (or change data plane) while the package still renders mTLS and authorization for it',
        'drop it; choose the data plane with Mesh.use() and MeshNamespace, or keep a workload out of the mesh by not making it a MeshService');
    }
  }
  return checked;
}
