// First match wins (the model, like a VirtualService) → Gateway API precedence (most specific match
// wins, ties by order). Earlier rules' conditions are carried into combinations with later, more
// specific matches, so that the intended winner is also the more specific; when that can't be
// written, the renderer refuses, naming both rules.
//
// Why it is right: let E be the entry list (match → model rule) in order. First-match-wins over E
// is the model's routing, and stays so when an entry a∧b (a before b) is inserted just before b:
// every request it matches already matched a. For a request r, let e1 be the first entry matching
// r and w the Gateway API winner. If they name different rules, w comes after e1 and outranks it,
// so (e1, w) is a pair this loop fixed: an entry covering e1∧w, for e1's rule, ranked at least as
// high as w and placed before it — it matches r, so w can't win. Contradiction: they agree.
import { propError } from '../../errors';
import { RoutingModel } from '../../models/routing';
import { CATCH_ALL, compare, Cond, condOf, conj, covers, describeCond, precedence } from './conditions';
import { RouteRef } from './dialect';

/** One HTTPRoute match and the model rule it routes to. @internal */
export interface Entry {
  readonly cond: Cond;
  /** Index of the model rule. */
  readonly rule: number;
  /** The model match it renders (`rules[0].matches[1]`, or the rule's prop for a catch-all); absent for a carried combination. */
  readonly origin?: string;
  /** For a carried combination: the two entries it combines (earlier first), for messages. */
  readonly carried?: readonly [string, string];
}

/** HTTPRoute's CEL limit on matches across all rules of one route. @internal */
export const MAX_MATCHES = 128;

const label = (e: Entry): string => e.origin ?? `(${e.carried![0]} ∧ ${e.carried![1]})`;

/**
 * The entries, in order, whose Gateway API precedence reproduces the model's first-match-wins.
 * @throws a propError naming both rules when a needed combination can't be written as one match,
 *   when the precedence of a regex path decides, or when more than 128 matches would be needed.
 * @internal
 */
export function orderEntries(ref: RouteRef, model: RoutingModel, backend: string): Entry[] {
  return prune(closeEntries(ref, model, backend));
}

/** {@link orderEntries} before unreachable entries are dropped (the analysis reads which ones are). @internal */
export function closeEntries(ref: RouteRef, model: RoutingModel, backend: string): Entry[] {
  const entries: Entry[] = [];
  model.rules.forEach((rule, i) => {
    if (rule.matches.length === 0) entries.push({ cond: CATCH_ALL, rule: i, origin: rule.prop });
    for (const m of rule.matches) entries.push({ cond: condOf(m), rule: i, origin: m.prop });
  });
  const ruleProp = (e: Entry) => model.rules[e.rule].prop;
  const refuse = (b: Entry, problem: string, fix: string): Error =>
    propError(ref.construct, ref.path, label(b), describeCond(b.cond), problem, fix);

  for (let q = 0; q < entries.length; q++) {
    for (let p = 0; p < q; p++) {
      const a = entries[p];
      const b = entries[q];
      if (a.rule === b.rule) continue;
      const both = conj(a.cond, b.cond);
      if (both === 'disjoint') continue;
      // An earlier entry takes every request both match: a is never first for them, so the pair
      // is (that entry, b), checked on its own.
      if (!('inexpressible' in both) && entries.slice(0, p).some((z) => covers(z.cond, both))) continue;
      const order = precedence(b.cond, a.cond);
      if (order && order.order <= 0) continue;
      // b may take requests that a (first in the model) should get.
      const why = order ? order.why : 'Gateway API leaves the precedence of RegularExpression paths to the implementation (Istio ranks them below every PathPrefix, even \'/\')';
      const stake = `outranks ${label(a)} (${describeCond(a.cond)}) under Gateway API precedence (${why}), so ${backend} would send requests matching both to ${ruleProp(b)} instead of ${ruleProp(a)}, which comes first`;
      const fixes = `make the two matches disjoint (e.g. give ${label(b)} a condition that excludes ${label(a)}'s requests), or move ${ruleProp(b)} before ${ruleProp(a)} if it should win`;
      if ('inexpressible' in both) {
        throw refuse(b, `${stake}; keeping ${ruleProp(a)} first needs a match for both, but ${both.inexpressible}`, fixes);
      }
      if ((compare(both, b.cond) ?? -1) < 0) {
        throw refuse(b, `${stake}; a match for both (${describeCond(both)}) would not outrank ${label(b)} either`,
          `give ${label(a)} an Exact or PathPrefix path instead of a regular expression, or ${fixes}`);
      }
      const done = entries.slice(0, q).some((e) => e.rule === a.rule && covers(e.cond, both) && (compare(e.cond, b.cond) ?? -1) >= 0);
      if (done) continue;
      entries.splice(q, 0, { cond: both, rule: a.rule, carried: [label(a), label(b)] });
      if (entries.length > MAX_MATCHES) {
        throw propError(ref.construct, ref.path, 'rules', `${model.rules.length} rules`,
          `need more than ${MAX_MATCHES} HTTPRoute matches (the CRD's limit) to keep their first-match-wins order under Gateway API precedence`,
          'use fewer overlapping rules, or give later rules conditions that exclude earlier rules\' requests');
      }
      // The new entry now sits at q: check it against everything before it, then go on with b.
      p = -1;
    }
  }
  return entries;
}

/** How an entry is named in messages: its model match, or the two it combines. @internal */
export function entryLabel(e: Entry): string {
  return label(e);
}

/** The entry that takes every request `entries[i]` matches under Gateway API precedence, if one does. @internal */
export function shadowOf(entries: readonly Entry[], i: number): Entry | undefined {
  const e = entries[i];
  return entries.find((f, j) => j !== i && covers(f.cond, e.cond) && ((compare(f.cond, e.cond) ?? -1) > 0 || (compare(f.cond, e.cond) === 0 && j < i)));
}

/**
 * Drops entries no request can reach under either semantics: covered by an earlier entry (so never
 * first) and by an entry that outranks them (so never the Gateway API winner). Each removal keeps
 * both winners of every request, so the two still agree; one at a time, rechecked each time.
 */
function prune(entries: Entry[]): Entry[] {
  const out = [...entries];
  for (let i = out.length - 1; i >= 0; i--) {
    const e = out[i];
    const neverFirst = out.slice(0, i).some((z) => covers(z.cond, e.cond));
    if (neverFirst && shadowOf(out, i)) out.splice(i, 1);
  }
  return out;
}
