// The review: two sets of manifests → per-service explanation, changes, risks and diagrams.
import { Change, serviceChanges } from './changes';
import { explainState, ServiceSummary } from './explain';
import { changeDiagram, stateDiagram } from './mermaid';
import { K8sObject } from './objects';
import { ServiceKey } from './routing-model';
import { findRisks, Risk, RiskOptions, Severity, SEVERITIES } from './risks';

/** One service in the review: what changed, and its state on both sides. */
export interface ServiceReview {
  readonly service: ServiceKey;
  readonly changes: readonly Change[];
  readonly before?: ServiceSummary;
  readonly after?: ServiceSummary;
}

/** The whole review (what `--format json` prints). */
export interface Review {
  /** Services with at least one change, sorted by key. */
  readonly services: readonly ServiceReview[];
  /** Services present on both sides with nothing changed. */
  readonly unchanged: readonly ServiceKey[];
  /** Most severe first. */
  readonly risks: readonly Risk[];
  /** Mermaid flowcharts: the after state, and the change. */
  readonly diagrams: { readonly after: string; readonly change: string };
}

/** Options of `reviewManifests`. */
export interface ReviewOptions extends RiskOptions {}

/**
 * Reviews a change from the manifests alone: explains every service before and after (routing,
 * versions, mTLS, callers, alerts), says what changed in words, flags the risks and draws the
 * after state and the change as Mermaid flowcharts.
 *
 * @param before the manifests as they are applied now
 * @param after the manifests the change would apply
 * @see findRisks for the risk catalogue, `interpretRouting` for the routing semantics
 */
export function reviewManifests(before: readonly K8sObject[], after: readonly K8sObject[], options: ReviewOptions = {}): Review {
  const a = explainState(before);
  const b = explainState(after);
  const keys = [...new Set([...a.services.keys(), ...b.services.keys()])].sort();
  const services: ServiceReview[] = [];
  const unchanged: ServiceKey[] = [];
  for (const service of keys) {
    const changes = serviceChanges(service, a, b);
    if (changes.length === 0) unchanged.push(service);
    else services.push({ service, changes, before: a.services.get(service), after: b.services.get(service) });
  }
  return { services, unchanged, risks: findRisks(a, b, options), diagrams: { after: stateDiagram(b), change: changeDiagram(a, b) } };
}

/** Does the review hold a risk at least as severe as `threshold`? */
export function hasRiskAtLeast(review: Review, threshold: Severity): boolean {
  const min = SEVERITIES.indexOf(threshold);
  return review.risks.some((r) => SEVERITIES.indexOf(r.severity) >= min);
}
