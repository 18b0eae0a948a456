export * from './mesh-service';
export * from './workload';
export * from './health-probe';
export * from './names';
export * from './synth';
export * from './traffic-split';
export { HttpMethod, RetryOn, StringMatch, StringMatchKind } from './routing/model';
export type { CookieMatch, HttpMatch } from './routing/model';
export { Weight, WeightUnit } from './routing/weights';
export type {
  FaultAbort, FaultDelay, FaultInjection, RetryPolicy, TrafficDestination, TrafficMirror, TrafficRouteOptions, TrafficRule,
} from './routing/route-options';
export * from './observability/metrics';
export * from './observability/monitor';
export * from './observability/slo';
export * from './observability/telemetry';
export * from './security/peer-authentication';
export * from './security/destination-tls';
export * from './security/authorization';
export * from './security/pod-security';
export * from './security/namespace';
export * from './validation';
