// AuthorizationPolicy model → security.istio.io/v1 AuthorizationPolicy: the selector form (sidecars,
// ztunnel) and the rules every Istio data plane shares.
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AuthorizationPolicy, AuthorizationPolicySpec, AuthorizationPolicySpecAction, AuthorizationPolicySpecRules,
  AuthorizationPolicySpecRulesFromSource,
} from '../../../imports/security.istio.io';
import { AuthorizationModel, AuthorizationRuleModel, principalOf } from '../../models/authorization';
import { appSelector } from '../../models/service';

/** @internal */
export function createAuthorizationPolicy(scope: Construct, policy: AuthorizationModel): AuthorizationPolicy {
  return new AuthorizationPolicy(scope, 'Resource', {
    metadata: { name: policy.name },
    spec: Lazy.any({ produce: () => authorizationPolicySpec(policy) }),
  });
}

/** @internal */
export function authorizationPolicySpec(policy: AuthorizationModel): AuthorizationPolicySpec {
  return {
    selector: policy.serviceName !== undefined ? { matchLabels: appSelector(policy.serviceName) } : undefined,
    action: policy.rules.length > 0 ? policy.action as string as AuthorizationPolicySpecAction : undefined,
    rules: policy.rules.length > 0 ? policy.rules.map((r) => toRule(policy.trustDomain, r)) : undefined,
  };
}

/** One model rule as an Istio rule: principals and namespaces as sources, methods/paths/ports as the operation. @internal */
export function toRule(trustDomain: string, rule: AuthorizationRuleModel): AuthorizationPolicySpecRules {
  // One source per kind: principals in one list (ORed), namespaces in another.
  const sources: AuthorizationPolicySpecRulesFromSource[] = [];
  if (rule.identities.length > 0) sources.push({ principals: rule.identities.map((id) => principalOf(trustDomain, id)) });
  if (rule.namespaces.length > 0) sources.push({ namespaces: [...rule.namespaces] });
  if (rule.requestPrincipals?.length) sources.push({ requestPrincipals: [...rule.requestPrincipals] });
  const hasOperation = rule.methods.length + rule.paths.length + rule.ports.length > 0;
  return {
    from: sources.length > 0 ? sources.map((source) => ({ source })) : undefined,
    to: hasOperation ? [{
      operation: {
        methods: rule.methods.length > 0 ? [...rule.methods] : undefined,
        paths: rule.paths.length > 0 ? [...rule.paths] : undefined,
        ports: rule.ports.length > 0 ? rule.ports.map(String) : undefined,
      },
    }] : undefined,
    when: rule.claims?.map((c) => ({ key: `request.auth.claims[${c.claim}]`, values: [...c.values] })),
  };
}
