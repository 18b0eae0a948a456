// Charts broken on purpose, shared by the fast-layer tests (test/validation.test.ts) and the
// server layer (test/server/): both layers must reject each with the schema's or server's message.
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { PeerAuthentication, PeerAuthenticationSpecPortLevelMtlsMode } from '../imports/security.istio.io';
import { MeshService } from '../src';
import { chart } from './util';
import { allowInvalidManifests } from './validation-hook';

/** One deliberately invalid chart and the message both layers must report. */
export interface BrokenChart {
  readonly name: string;
  readonly chart: () => Chart;
  /** apiVersion/kind/name of the broken object. */
  readonly kind: string;
  readonly objectName: string;
  /** Substring of the fast layer's error. */
  readonly fastError: string;
  /** Substring of the API server's error (custom resources only: the CRD server serves no core kinds). */
  readonly serverError?: string;
}

function users(): { c: Chart; svc: MeshService } {
  // allowInvalidManifests: these charts exist to be rejected.
  const c = allowInvalidManifests(chart());
  const svc = new MeshService(c, 'users', { versions: [{ name: 'v1', image: 'ghcr.io/acme/users:1.0.0' }] });
  return { c, svc };
}

/**
 * A hand-written object (plain `ApiObject`, as users write for kinds nobody wraps): unlike the
 * generated classes (imports/, cdk8s-plus), whose toJson() keeps only schema fields, it writes
 * whatever a patch adds — so an unknown field really reaches the manifest.
 */
function raw(c: Chart, apiVersion: string, kind: string, name: string, spec: object): ApiObject {
  return new ApiObject(c, name, { apiVersion, kind, metadata: { name }, spec } as any);
}

export const BROKEN_CHARTS: BrokenChart[] = [
  {
    name: 'an unknown field in a core kind (Service)',
    chart: () => {
      const c = allowInvalidManifests(chart());
      raw(c, 'v1', 'Service', 'legacy', { ports: [{ port: 80 }] }).addJsonPatch(JsonPatch.add('/spec/bogusField', 1));
      return c;
    },
    kind: 'Service',
    objectName: 'legacy',
    fastError: 'spec.bogusField: unknown field "spec.bogusField"',
  },
  {
    name: 'a wrong type in a core kind (Deployment replicas)',
    chart: () => {
      const { c, svc } = users();
      ApiObject.of(svc.deployment('v1')).addJsonPatch(JsonPatch.replace('/spec/replicas', 'two'));
      return c;
    },
    kind: 'Deployment',
    objectName: 'users-v1',
    fastError: 'spec.replicas: Invalid value: "two": must be integer',
  },
  {
    name: 'an unknown field in a custom resource (DestinationRule)',
    chart: () => {
      const c = allowInvalidManifests(chart());
      raw(c, 'networking.istio.io/v1', 'DestinationRule', 'legacy', { host: 'legacy' }).addJsonPatch(JsonPatch.add('/spec/bogusField', 1));
      return c;
    },
    kind: 'DestinationRule',
    objectName: 'legacy',
    fastError: 'spec.bogusField: unknown field "spec.bogusField"',
    serverError: 'unknown field "spec.bogusField"',
  },
  {
    name: 'a wrong type in a custom resource (MeshService DestinationRule host)',
    chart: () => {
      const { c, svc } = users();
      ApiObject.of(svc.destinationRule!).addJsonPatch(JsonPatch.replace('/spec/host', 42));
      return c;
    },
    kind: 'DestinationRule',
    objectName: 'users',
    fastError: 'spec.host: Invalid value: "integer": spec.host in body must be of type string: "integer"',
    serverError: 'spec.host in body must be of type string',
  },
  {
    name: 'a CEL rule violation (PeerAuthentication portLevelMtls without selector)',
    chart: () => {
      const c = allowInvalidManifests(chart());
      new PeerAuthentication(c, 'port-level', {
        metadata: { name: 'port-level' },
        spec: { portLevelMtls: { 8080: { mode: PeerAuthenticationSpecPortLevelMtlsMode.DISABLE } } },
      });
      return c;
    },
    kind: 'PeerAuthentication',
    objectName: 'port-level',
    fastError: 'spec: Invalid value: portLevelMtls requires selector',
    serverError: 'portLevelMtls requires selector',
  },
  {
    name: 'a missing required field in a custom resource (DestinationRule subset name)',
    chart: () => {
      const { c, svc } = users();
      ApiObject.of(svc.destinationRule!).addJsonPatch(JsonPatch.remove('/spec/subsets/0/name'));
      return c;
    },
    kind: 'DestinationRule',
    objectName: 'users',
    fastError: 'spec.subsets[0].name: Required value',
    serverError: 'spec.subsets[0].name: Required value',
  },
];
