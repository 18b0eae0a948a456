// ServiceLevelObjectives model → Prometheus Operator PrometheusRule (shared by every backend).
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../../imports/monitoring.coreos.com';
import type { SloModel } from '../../models/observability';

/** @internal */
export function createPrometheusRule(scope: Construct, slo: SloModel): PrometheusRule {
  return new PrometheusRule(scope, 'Resource', {
    metadata: { name: slo.name, labels: { ...slo.labels, app: slo.service.serviceName } },
    spec: {
      groups: slo.groups.map((g) => ({
        name: g.name,
        rules: g.rules.map((r) => ({
          record: r.record,
          alert: r.alert,
          expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr),
          labels: r.labels && { ...r.labels },
          annotations: r.annotations && { ...r.annotations },
        })),
      })),
    },
  });
}
