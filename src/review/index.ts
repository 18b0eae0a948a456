// The reviewer's public API, re-exported from the package root as the namespace `review`.
export { interpretRouting, routeRequest } from './interpreter';
export type { RouteDecision, RoutingModel, RouteRule, RoutePolicy, ServiceRouting, Share, Mirror, ServiceKey } from './routing-model';
export type { SampleRequest, RequestMatch, StrMatch, NamedMatch } from './match';
export { parseManifests, readManifests, readManifestsAtRevision } from './objects';
export type { K8sObject } from './objects';
export { explainState } from './explain';
export type { MeshState, ServiceSummary, RuleSummary, WorkloadSummary } from './explain';
export { findRisks, SEVERITIES } from './risks';
export type { Risk, RiskOptions, Severity } from './risks';
export { reviewManifests, hasRiskAtLeast } from './review';
export type { Review, ReviewOptions, ServiceReview } from './review';
export type { Change } from './changes';
export type { Access, MtlsMode, Permission, WorkloadMtls } from './security';
export type { AlertInfo, Objective, Watch } from './observability';
export type { DataPlane, VersionInfo } from './workloads';
export { renderMarkdown, renderText, renderJson } from './render';
export { stateDiagram, changeDiagram } from './mermaid';
