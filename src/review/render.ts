// The review as a PR comment (Markdown), as terminal text, or as JSON.
import { RuleSummary, ServiceSummary, sharesText, versionName } from './explain';
import { pct } from './routing-model';
import { Review } from './review';
import { Risk, SEVERITIES } from './risks';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function policies(s: ServiceSummary, r: RuleSummary): string {
  return [
    r.timeout ? `timeout ${r.timeout}` : undefined,
    r.retries ? `retries ${r.retries}` : undefined,
    r.fault ? `fault ${r.fault}` : undefined,
    ...r.mirrors.map((m) => `mirror ${versionName(s.service, m)} ${pct(m.percent)}`),
  ].filter(Boolean).join('; ');
}

function riskCounts(risks: readonly Risk[]): string {
  if (risks.length === 0) return 'no risks found';
  const counts = [...SEVERITIES].reverse().map((s) => [s, risks.filter((r) => r.severity === s).length] as const).filter(([, n]) => n > 0);
  return `${risks.length} risk${risks.length === 1 ? '' : 's'}: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`;
}

function headline(review: Review): string {
  const n = review.services.length;
  const unchanged = review.unchanged.length ? `, ${review.unchanged.length} unchanged (${review.unchanged.join(', ')})` : '';
  return `${riskCounts(review.risks)} · ${n} service${n === 1 ? '' : 's'} changed${unchanged}`;
}

function versionsText(s: ServiceSummary): string {
  return s.versions.map((v) => `${v.version}${v.replicas !== undefined ? ` (${v.replicas} replica${v.replicas === 1 ? '' : 's'})` : ''}`).join(', ') || 'none declared';
}

function calls(s: ServiceSummary, i: number): string {
  const a = s.workloads[i].access;
  const lines = a.permissions.map((p) => `${p.action === 'DENY' ? 'DENY ' : ''}${p.from} → ${p.to}`);
  if (a.open) lines.unshift('any caller (no ALLOW policy)');
  if (a.denyAll) lines.unshift(`nobody (${a.denyAllBy.join(', ')})`);
  return lines.join('; ');
}

function apiText(s: ServiceSummary): string {
  return s.api === 'VirtualService' ? 'VirtualService, the first matching rule wins' : s.api === 'HTTPRoute' ? 'HTTPRoute, in Gateway API precedence order' : 'no routing rules: plain load balancing over all pods';
}

/** The review as Markdown for a pull-request comment (GitHub renders the Mermaid blocks). */
export function renderMarkdown(review: Review): string {
  const out: string[] = ['## Mesh change review', '', `**${headline(review)}**`, ''];
  if (review.risks.length) {
    out.push('### Risks', '', '| severity | service | risk | fix |', '|---|---|---|---|');
    for (const r of review.risks) out.push(`| **${r.severity}** | \`${r.service}\` | ${cell(r.message)} | ${cell(r.fix)} |`);
    out.push('');
  }
  for (const sr of review.services) {
    out.push(`### \`${sr.service}\``, '', '**What changes**', '');
    for (const c of sr.changes) out.push(`- ${c.area}: ${c.text}`);
    out.push('');
    const s = sr.after;
    if (!s) continue;
    out.push(`**Routing after** (${apiText(s)})`, '');
    if (s.rules.length) {
      out.push('| rule | requests | destinations | policies |', '|---|---|---|---|');
      for (const r of s.rules) out.push(`| ${cell(r.key)} | ${cell(r.when)} | ${cell(sharesText(s.service, r.shares))} | ${cell(policies(s, r))} |`);
      out.push('');
    }
    for (const n of s.notes) out.push(`> ${n}`, '');
    out.push(`**Versions after**: ${versionsText(s)}`, '');
    if (s.workloads.length) {
      out.push('**Security after**', '', '| workload | mTLS | who may call it |', '|---|---|---|');
      s.workloads.forEach((w, i) => {
        const ports = Object.entries(w.mtls.ports).map(([p, m]) => `, port ${p} ${m}`).join('');
        out.push(`| ${w.name} | ${w.mtls.mode}${ports} (${cell(w.mtls.source)}) | ${cell(calls(s, i))} |`);
      });
      out.push('');
    }
    if (s.alerts.length || s.objectives.length) {
      const objectives = s.objectives.map((o) => `${o.slo} ${o.percent}%`).join(', ') || 'none';
      out.push(`**Observability after**: objectives ${objectives}; alerts ${s.alerts.map((a) => a.key).join(', ') || 'none'}`, '');
    }
  }
  out.push('### After the change', '', '```mermaid', review.diagrams.after.trimEnd(), '```', '', '### The change', '', '```mermaid', review.diagrams.change.trimEnd(), '```', '');
  return out.join('\n');
}

/** The review as plain text for a terminal. */
export function renderText(review: Review): string {
  const out: string[] = ['Mesh change review', headline(review), ''];
  for (const r of review.risks) out.push(`[${r.severity.toUpperCase()}] ${r.service}: ${r.message}`, `    fix: ${r.fix}`);
  if (review.risks.length) out.push('');
  for (const sr of review.services) {
    out.push(`${sr.service}`);
    for (const c of sr.changes) out.push(`  ${c.area}: ${c.text}`);
    const s = sr.after;
    if (s) {
      out.push(`  routing after (${apiText(s)}):`);
      for (const r of s.rules) out.push(`    ${r.key}: ${r.when} → ${sharesText(s.service, r.shares)}${policies(s, r) ? ` (${policies(s, r)})` : ''}`);
      for (const n of s.notes) out.push(`    note: ${n}`);
      s.workloads.forEach((w, i) => out.push(`  ${w.name}: mTLS ${w.mtls.mode}; callers: ${calls(s, i)}`));
    }
    out.push('');
  }
  out.push('Mermaid (after the change):', review.diagrams.after, 'Mermaid (the change):', review.diagrams.change);
  return out.join('\n');
}

/** The review as JSON (stable key order, no undefined fields). */
export function renderJson(review: Review): string {
  return JSON.stringify(review, null, 2) + '\n';
}
