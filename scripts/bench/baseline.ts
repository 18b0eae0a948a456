// The benchmark's baseline: the same objects MeshService emits, written by hand with plain cdk8s
// (cdk8s-plus + the imported DestinationRule class, no MeshService). It is the cost floor of the
// abstraction; test/bench-baseline.test.ts proves its output stays byte-identical to MeshService's.
import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DestinationRule, VirtualService } from '../../imports/networking.istio.io';

export function handWrittenService(chart: Chart, name: string, versions: { name: string; image: string; replicas: number }[]): void {
  const scope = new kplus.ServiceAccount(chart, `${name}-sa`, {
    metadata: { name, labels: { 'app': name, 'app.kubernetes.io/name': name } },
    automountToken: false,
  });
  const service = new kplus.Service(chart, `${name}-svc`, {
    metadata: { name, labels: { 'app': name, 'app.kubernetes.io/name': name } },
    ports: [{ port: 8080, targetPort: 8080, name: 'http', protocol: kplus.Protocol.TCP }],
  });
  service.selectLabel('app', name);
  ApiObject.of(service).addJsonPatch(
    JsonPatch.add('/spec/ports/0/appProtocol', 'http'),
    // API defaults cdk8s-plus restates, left out as MeshService does
    JsonPatch.remove('/spec/externalIPs'), JsonPatch.remove('/spec/type'),
  );
  new DestinationRule(chart, `${name}-dr`, {
    metadata: { name, labels: { 'app': name, 'app.kubernetes.io/name': name } },
    spec: {
      host: name,
      subsets: versions.map((v) => ({ name: v.name, labels: { version: v.name } })),
    },
  });
  for (const v of versions) {
    const labels = { 'app': name, 'version': v.name, 'app.kubernetes.io/name': name, 'app.kubernetes.io/version': v.name };
    const d = new kplus.Deployment(chart, `${name}-${v.name}`, {
      metadata: { name: `${name}-${v.name}`, labels },
      replicas: v.replicas,
      select: false,
      podMetadata: {
        labels,
        annotations: {
          'kubectl.kubernetes.io/default-container': name,
          // Istio metrics merging (MeshService's default metrics endpoint)
          'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics',
        },
      },
      serviceAccount: scope,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true },
      containers: [{
        name,
        image: v.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        ports: [{ number: 8080, name: 'http' }],
        resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
        liveness: kplus.Probe.fromHttpGet('/health', { port: 8080 }),
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
        securityContext: {
          ensureNonRoot: true,
          privileged: false,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: [kplus.Capability.ALL] },
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
      }],
    });
    d.select(kplus.LabelSelector.of({ labels: { app: name, version: v.name } }));
    ApiObject.of(d).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
      // API defaults cdk8s-plus restates, left out as MeshService does
      ...['minReadySeconds', 'progressDeadlineSeconds', 'strategy'].map((f) => JsonPatch.remove(`/spec/${f}`)),
      // (`setHostnameAsFqdn`: KubeDeployment re-maps field names after patches, so the patch uses the TS name)
      ...['dnsPolicy', 'hostNetwork', 'restartPolicy', 'setHostnameAsFqdn', 'terminationGracePeriodSeconds', 'securityContext/fsGroupChangePolicy']
        .map((f) => JsonPatch.remove(`/spec/template/spec/${f}`)),
      ...['livenessProbe', 'readinessProbe'].flatMap((p) => [
        JsonPatch.remove(`/spec/template/spec/containers/0/${p}/failureThreshold`),
        JsonPatch.remove(`/spec/template/spec/containers/0/${p}/httpGet/scheme`),
      ]),
    );
  }
  // A service with several versions routes everything to its first version until a TrafficSplit says otherwise.
  if (versions.length > 1) {
    new VirtualService(chart, `${name}-vs`, {
      metadata: { name, labels: { 'app': name, 'app.kubernetes.io/name': name } },
      spec: { hosts: [name], http: [{ route: [{ destination: { host: name, subset: versions[0].name } }] }] },
    });
  }
}
