// The review on realistic histories of the example app: risks, words, snapshot, diagrams.
import { reviewManifests } from '../../src/review/review';
import { renderMarkdown } from '../../src/review/render';
import {
  addCaller, addV3, deleteV1, edited, example, removeAuthorization, removeFastBurnAlert, removeV1OneStep, routeAwayFromV1,
  scaleV2ToZero, shift5050, weakenMtls,
} from './history';
import { parseMermaid } from './mermaid';

const base = example();
const review = (edit: (o: any[]) => void, from = base, maxShift?: number) => reviewManifests(from, edited(from, edit), { maxShift });
const ids = (r: ReturnType<typeof review>) => r.risks.map((x) => `${x.severity} ${x.id}`);

describe('review of the example app', () => {
  test('90/10 → 50/50 is explained in words and is within --max-shift', () => {
    const r = review(shift5050);
    const changes = r.services.find((s) => s.service === 'mesh-demo/myservice')!.changes.map((c) => c.text);
    expect(changes).toEqual(['default route: v1 90% → 50%, v2 10% → 50%']);
    expect(r.risks).toEqual([]);
    expect(r.unchanged).toEqual(['mesh-demo/frontend', 'shop.example.com']);
  });

  test('a shift above --max-shift is a medium risk', () => {
    expect(ids(review(shift5050, base, 30))).toEqual(['medium large-shift']);
    expect(review(shift5050, base, 30).risks[0].message).toContain('v1 90% → 50%, v2 10% → 50%');
  });

  test('adding v3 that takes traffic in the same change: apply order', () => {
    const r = review(addV3);
    expect(ids(r)).toEqual(['medium route-to-new-version']);
    expect(r.risks[0].fix).toContain('DestinationRule subset and Deployment first');
    expect(r.services[0].changes.map((c) => c.text)).toEqual(expect.arrayContaining([
      'default route: v1 90% → 80%, v3 0% → 10%',
      'version v3 added (subset v3, 2 replicas)',
    ]));
  });

  test('removing v1 in one step is high; in two steps each step is below high', () => {
    expect(ids(review(removeV1OneStep))).toEqual(['high version-removed-while-routed', 'medium large-shift']);
    const step1 = edited(base, routeAwayFromV1);
    expect(ids(reviewManifests(base, step1))).toEqual(['medium large-shift']);
    expect(ids(reviewManifests(step1, edited(step1, deleteV1)))).toEqual([]);
  });

  test('deleting a version the current routing still uses, without rerouting, is high at the end state too', () => {
    const r = review(deleteV1);
    expect(ids(r)).toEqual(['high version-removed-while-routed', 'high route-to-missing-version']);
    expect(r.risks[0].fix).toContain('route v1 to 0%');
  });

  test('weakening mTLS is high, per workload', () => {
    const r = review(weakenMtls);
    expect(r.risks.filter((x) => x.service === 'mesh-demo/myservice').map((x) => x.message)).toEqual([
      'myservice-v1: mTLS weakened STRICT → PERMISSIVE (PeerAuthentication mesh-demo/default): plain-text callers are accepted',
      'myservice-v2: mTLS weakened STRICT → PERMISSIVE (PeerAuthentication mesh-demo/default): plain-text callers are accepted',
    ]);
    expect(r.risks.every((x) => x.severity === 'high' && x.id === 'mtls-weakened')).toBe(true);
  });

  test('a new caller is a medium risk; removing the allow-list is high', () => {
    const r = review(addCaller);
    expect(ids(r)).toEqual(['medium caller-added']);
    expect(r.risks[0].message).toBe('new caller: cluster.local/ns/mesh-demo/sa/admin → POST /api/users');
    const open = review(removeAuthorization);
    expect(ids(open)).toEqual(['high default-deny-removed']);
    expect(open.services[0].changes.map((c) => c.text)).toContain('authorization: allow list → open');
  });

  test('a removed alert, and weight to a version with 0 replicas', () => {
    expect(ids(review(removeFastBurnAlert))).toEqual(['medium alert-removed']);
    expect(ids(review(scaleV2ToZero))).toEqual(['high version-removed-while-routed', 'high weight-to-zero-replicas']);
  });

  test('the PR comment (Markdown) for a 50/50 shift with a new caller', () => {
    const md = renderMarkdown(review((o) => { shift5050(o); addCaller(o); }));
    expect(md).toMatchSnapshot();
  });

  test('every diagram is accepted by Mermaid\'s own parser, and a broken one is not', () => {
    const reviews = [shift5050, addV3, removeV1OneStep, weakenMtls, addCaller, removeAuthorization].map((e) => review(e));
    const diagrams = reviews.flatMap((r) => [r.diagrams.after, r.diagrams.change]);
    const results = parseMermaid([...diagrams, 'flowchart LR\n  a -->|"x"| \n']);
    expect(results.slice(0, -1).map((x) => x.error ?? x.type)).toEqual(diagrams.map(() => 'flowchart-v2'));
    expect(results[results.length - 1].ok).toBe(false);
  }, 60_000);
});
