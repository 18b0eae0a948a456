// The package's public API: explicit lists, nothing internal (cdk8s-plus / AWS CDK export
// discipline). Models, analysis and backend internals are reached only through these constructs.

// Choosing a data plane
export { Mesh } from './mesh/mesh';
export type {
  IAuthorizationRendering, IMeshBackend, IRendering, IRoutingRendering, IServiceRendering, NamespaceMetadata, NamespaceModel, RoutingInput, WorkloadDialect,
} from './mesh/backend';
export { IstioRouting, IstioSidecar } from './backends/istio/istio-sidecar';
export type { IstioSidecarProps } from './backends/istio/istio-sidecar';
export { ISTIO_SAMPLE_PROMETHEUS, IstioAmbient } from './backends/istio-ambient/istio-ambient';
export type { IstioAmbientProps, ScraperIdentity } from './backends/istio-ambient/istio-ambient';
export { Waypoint } from './backends/istio-ambient/waypoint';
export type { WaypointOptions } from './backends/istio-ambient/waypoint';
export { Linkerd } from './backends/linkerd';
export type { LinkerdProps } from './backends/linkerd';
export { ISTIO_MERGED_METRICS_PATH, ISTIO_MERGED_METRICS_PORT } from './backends/istio/metrics-merge';
export { MONITOR_POD_TARGET_LABELS } from './backends/prometheus/monitor';

// Workloads
export { MeshService } from './mesh-service';
export { MeshProtocol } from './service-ports';
export type { MeshServicePort } from './service-ports';
export type { IMeshService, MeshServiceProps } from './mesh-service';
export type { MeshServiceVersionOptions } from './workload';
export type { VersionAutoscaling, VersionDisruptionBudget } from './availability';
export { LoadBalancer } from './resilience';
export type { ConnectionPoolOptions, OutlierDetectionOptions, ServiceResilience } from './resilience';
export { HealthProbe } from './health-probe';
export type { HealthProbeOptions } from './health-probe';
export { ISTIO_RESERVED_PORTS, isDns1035Label, isDns1123Label, isLabelKey, isLabelValue } from './names';
export { synthAtomically } from './synth';
export { synthRenderings } from './renderings';

// Traffic management
export { TrafficSplit } from './traffic-split';
export type { TrafficSplitProps } from './traffic-split';
export { HttpMethod, RetryOn, StringMatch, StringMatchKind } from './models/routing';
export type { CookieMatch, HttpMatch } from './models/routing';
export { Weight, WeightUnit } from './models/weights';
export type {
  FaultAbort, FaultDelay, FaultInjection, RetryPolicy, TrafficDestination, TrafficMirror, TrafficRouteOptions, TrafficRule,
} from './routing/route-options';

// Ingress and egress
export { MeshIngress } from './edge/ingress';
export type { MeshIngressProps } from './edge/ingress';
export { ExternalProtocol, ExternalResolution, ExternalService } from './edge/external-service';
export type { ExternalPort, ExternalServiceProps } from './edge/external-service';
export { MeshEgress } from './edge/egress';
export type { MeshEgressProps } from './edge/egress';

// Observability
export { MetricsEndpoint } from './observability/metrics';
export type { MetricsEndpointOptions, ServiceMetrics } from './observability/metrics';
export { MeshMonitor, MonitorKind, ScrapeTarget } from './observability/monitor';
export type { MeshMonitorProps } from './observability/monitor';
export { AlertSeverity, BURN_RATE_TIERS, SLO_AGGREGATION_LABELS, ServiceLevelObjectives } from './observability/slo';
export type { AvailabilityObjective, BurnRateTier, LatencyObjective, ServiceLevelObjectivesProps } from './observability/slo';
export { AccessLogging, MeshTelemetry, Tracing } from './observability/telemetry';
export type { AccessLoggingOptions, MeshTelemetryProps, TracingOptions } from './observability/telemetry';

// Security
export { MtlsMode, PeerAuthentication } from './security/peer-authentication';
export type { PeerAuthenticationProps, PortLevelMtls } from './security/peer-authentication';
export { DestinationTls, DestinationTlsMode } from './security/destination-tls';
export type { DestinationTlsOptions, MutualDestinationTlsOptions } from './security/destination-tls';
export { AuthorizationAction, AuthorizationPolicy, Caller, DEFAULT_TRUST_DOMAIN } from './security/authorization';
export type { AuthorizationPolicyProps, AuthorizationRuleOptions } from './security/authorization';
export { RequestAuthentication } from './security/request-authentication';
export type { JwtHeader, JwtIssuer, RequestAuthenticationProps } from './security/request-authentication';
export { PodSecurityStandard } from './security/pod-security';
export type { PodSecurityOptions } from './security/pod-security';
export { MeshNamespace } from './security/namespace';
export type { MeshNamespaceProps } from './security/namespace';

// Validation
export {
  assertValidManifests, formatValidationErrors, ManifestValidation, ManifestValidator, validateChart, validateManifests,
} from './validation/validator';
export type { ManifestValidatorOptions, ValidationError, ValidationResult } from './validation/validator';
export { DEFAULT_KUBERNETES_VERSION, KubernetesVersion } from './validation/kubernetes-version';
// The cdk8s CLI validation plugin (cdk8s.yaml `validations:`), loaded by class name from the package root
export { MeshValidationPlugin } from './validation/cdk8s-plugin';
export type { IValidationContext, MeshValidationPluginProperties, MeshValidationViolation } from './validation/cdk8s-plugin';

// Change review (`cdk8s-mesh review`): the manifest interpreter and reviewer, as a library
export * as review from './review';
