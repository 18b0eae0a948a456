// ExternalService model → networking.istio.io/v1 ServiceEntry (MESH_EXTERNAL), and for timeouts
// or retries one VirtualService per host routing to it with those policies.
import { Construct } from 'constructs';
import {
  ServiceEntry, ServiceEntrySpecLocation, ServiceEntrySpecResolution, VirtualService,
} from '../../../imports/networking.istio.io';
import type { ExternalServiceModel } from '../../models/egress';

/** The ServiceEntry of an external service. @internal */
export function createServiceEntry(scope: Construct, svc: ExternalServiceModel): ServiceEntry {
  return new ServiceEntry(scope, 'Resource', {
    metadata: { name: svc.name },
    spec: {
      hosts: [...svc.hosts],
      location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
      ports: svc.ports.map((p) => ({ number: p.number, name: p.name, protocol: p.protocol })),
      resolution: svc.resolution as ServiceEntrySpecResolution,
      endpoints: svc.endpoints.length > 0 ? svc.endpoints.map((address) => ({ address })) : undefined,
    },
  });
}

/** Timeouts/retries toward the service: a VirtualService per host (`<name>` for one host, `<name>-<i>` for several). @internal */
export function createExternalRoutes(scope: Construct, svc: ExternalServiceModel): VirtualService[] {
  if (svc.timeoutMs === undefined && !svc.retries) return [];
  const ms = (v: number | undefined) => (v === undefined ? undefined : v % 1000 === 0 ? `${v / 1000}s` : `${v}ms`);
  return svc.hosts.map((host, i) => new VirtualService(scope, svc.hosts.length === 1 ? 'Route' : `Route-${i}`, {
    metadata: { name: svc.hosts.length === 1 ? svc.name : `${svc.name}-${i}` },
    spec: {
      hosts: [host],
      http: [{
        route: [{ destination: { host } }],
        timeout: ms(svc.timeoutMs),
        retries: svc.retries && {
          attempts: svc.retries.attempts,
          perTryTimeout: ms(svc.retries.perTryTimeoutMs),
          retryOn: svc.retries.retryOn.length > 0 ? svc.retries.retryOn.join(',') : undefined,
        },
      }],
    },
  }));
}
