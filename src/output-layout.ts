// Output that can be applied in order. `kubectl apply -f dist/` (and `-R` for folders) reads files
// in name order and each file's objects in order; a namespaced object read before its Namespace
// fails on a fresh cluster ("namespaces ... not found"). cdk8s names files after the chart or, in
// the per-resource layouts, after `<Kind>.<name>` — so `Deployment.*` sorts before `Namespace.*`,
// and two objects of one kind and name in different namespaces write one file. This check works
// out, before anything is written, which file and position cdk8s gives every object
// (node_modules/cdk8s/lib/app.js `synth()`), and refuses a layout that can't be applied in order.
import { ApiObject, App, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';

const guardedApps = new WeakSet<IConstruct>();

/** Where cdk8s writes one object, and where `kubectl apply` reads it. */
interface Placement {
  readonly obj: ApiObject;
  /** Path under the output directory, as cdk8s writes it. */
  readonly file: string;
  /** Position of the object inside its file. */
  readonly index: number;
  /** What owns the file: a chart (FILE_PER_CHART), the app, or the object itself. */
  readonly owner: IConstruct;
}

/**
 * Makes the app of `scope` refuse, at synth, an output layout (`yamlOutputType`) whose files can't
 * be applied in name order — a Namespace read after objects in it — or in which two objects write
 * one file. Registered once per app, on the first chart holding a cdk8s-mesh construct.
 * @internal
 */
export function guardOutputLayout(scope: IConstruct): void {
  const root = scope.node.root;
  if (guardedApps.has(root) || !(root instanceof App)) return;
  guardedApps.add(root);
  Chart.of(scope).node.addValidation({ validate: () => outputLayoutErrors(root) });
}

/** The layout's name as written in code. */
function layoutName(type: YamlOutputType): string {
  return `YamlOutputType.${YamlOutputType[type]}`;
}

/** Every object of the app with the file cdk8s writes it to, in the order cdk8s writes them. @internal */
export function placements(app: App): Placement[] {
  const hasDependantCharts = chartDependencies(app);
  const ext = app.outputFileExtension;
  const out: Placement[] = [];
  const objectsOf = (chart: Chart) => new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart);
  const resourceFile = (o: ApiObject) => `${o.kind}.${o.name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + ext;
  let chartIndex = 0;
  const chartName = (chart: Chart) => (hasDependantCharts ? `${String(chartIndex++).padStart(4, '0')}-` : '') + Names.toDnsLabel(chart);
  for (const chart of app.charts) {
    const objects = objectsOf(chart);
    switch (app.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP:
        objects.forEach((obj) => out.push({ obj, file: `app${ext}`, index: out.length, owner: app }));
        break;
      case YamlOutputType.FILE_PER_CHART: {
        const file = chartName(chart) + ext;
        objects.forEach((obj, index) => out.push({ obj, file, index, owner: chart }));
        break;
      }
      case YamlOutputType.FILE_PER_RESOURCE:
        objects.forEach((obj) => out.push({ obj, file: resourceFile(obj), index: 0, owner: obj }));
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE: {
        const folder = chartName(chart);
        objects.forEach((obj) => out.push({ obj, file: `${folder}/${resourceFile(obj)}`, index: 0, owner: obj }));
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/**
 * What `App.synth()` does before it names files (app.js `resolveDependencies`): nested charts and
 * dependencies across charts become chart dependencies, and then cdk8s numbers its files. Adding
 * them here first changes nothing (dependencies are a set, and cdk8s adds the same ones next).
 * @returns whether any chart depends on another (cdk8s's `hasDependantCharts`)
 */
function chartDependencies(app: App): boolean {
  let dependant = false;
  const all = app.node.findAll();
  for (const parent of all.filter((x): x is Chart => x instanceof Chart)) {
    for (const child of parent.node.children.filter((x) => x instanceof Chart)) {
      parent.node.addDependency(child);
      dependant = true;
    }
  }
  for (const source of all) {
    for (const target of source.node.dependencies) {
      const from = Chart.of(source);
      const to = Chart.of(target);
      if (from !== to) {
        from.node.addDependency(to);
        dependant = true;
      }
    }
  }
  return dependant;
}

/** kubectl's order: the path walked directory by directory in byte order, then the position in the file. */
function compare(a: Placement, b: Placement): number {
  const pa = a.file.split('/');
  const pb = b.file.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length || a.index - b.index;
}

function describe(p: Placement): string {
  const o = p.obj;
  return `${o.kind} ${o.metadata.namespace && o.kind !== 'Namespace' ? `${o.metadata.namespace}/` : ''}${o.name} ('${p.file}', construct '${o.node.path}')`;
}

/**
 * Whether the layout could fail at all, from one pass over the objects (no dependency graph): some
 * object lives in a Namespace the output holds, or — per-resource layouts — two objects of one
 * chart folder share a kind and name. Keeps the check at a few ms for apps where neither holds.
 */
function mayFail(app: App): boolean {
  const objects = app.node.findAll().filter(ApiObject.isApiObject);
  const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1').map((o) => o.name));
  if (objects.some((o) => o.kind !== 'Namespace' && o.metadata.namespace !== undefined && namespaces.has(o.metadata.namespace))) return true;
  const folders = app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE;
  if (app.yamlOutputType === YamlOutputType.FILE_PER_CHART) {
    const charts = app.node.findAll().filter((c): c is Chart => c instanceof Chart).map((c) => Names.toDnsLabel(c));
    return new Set(charts).size !== charts.length;
  }
  if (!folders && app.yamlOutputType !== YamlOutputType.FILE_PER_RESOURCE) return false;
  const files = new Set<string>();
  for (const o of objects) {
    const file = `${folders ? `${Chart.of(o).node.path}/` : ''}${o.kind}.${o.name}`.replace(/[^0-9a-zA-Z-_./]/g, '');
    if (files.has(file)) return true;
    files.add(file);
  }
  return false;
}

/** The errors of the app's layout, or none. @internal */
export function outputLayoutErrors(app: App): string[] {
  if (!mayFail(app)) return [];
  const all = placements(app);
  const layout = layoutName(app.yamlOutputType);
  const errors: string[] = [];
  const perResource = app.yamlOutputType === YamlOutputType.FILE_PER_RESOURCE || app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE;
  const apply = app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE ? 'kubectl apply -R -f <outdir>' : 'kubectl apply -f <outdir>';

  const byFile = new Map<string, Placement>();
  const clashes: Array<[Placement, Placement]> = [];
  for (const p of all) {
    const first = byFile.get(p.file);
    if (!first) byFile.set(p.file, p);
    else if (first.owner !== p.owner) clashes.push([first, p]);
  }
  if (clashes.length > 0) {
    const [first, second] = clashes[0];
    const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more file${clashes.length > 2 ? 's' : ''} like it)` : '';
    errors.push(`cdk8s-mesh: with ${layout}, ${describe(first)} and ${describe(second)} are written to one file${more}, and the second overwrites the first. `
      + `Fix: ${perResource ? 'use YamlOutputType.FILE_PER_CHART, or FOLDER_PER_CHART_FILE_PER_RESOURCE with objects of one kind and name in different charts' : 'give the charts distinct ids'}.`);
  }

  const namespaces = new Map<string, Placement>();
  for (const p of all) if (p.obj.kind === 'Namespace' && p.obj.apiVersion === 'v1') namespaces.set(p.obj.name, p);
  for (const [name, ns] of namespaces) {
    const early = all.filter((p) => p.obj.kind !== 'Namespace' && p.obj.metadata.namespace === name && compare(p, ns) < 0).sort(compare);
    if (early.length === 0) continue;
    const more = early.length > 1 ? ` (and ${early.length - 1} more object${early.length > 2 ? 's' : ''} in it)` : '';
    const fix = perResource
      ? 'use YamlOutputType.FILE_PER_CHART or FILE_PER_APP, where objects are written in dependency order with the Namespace first'
        + (app.yamlOutputType === YamlOutputType.FILE_PER_RESOURCE
          ? ', or FOLDER_PER_CHART_FILE_PER_RESOURCE with the Namespace in a chart of its own that the others depend on (`chart.addDependency(namespaceChart)` numbers its folder first)'
          : ', or put the Namespace in a chart of its own that the others depend on (`chart.addDependency(namespaceChart)` numbers its folder first)')
      : 'make the chart of the objects depend on the chart of the Namespace (`chart.addDependency(namespaceChart)`), so cdk8s writes the Namespace first';
    errors.push(`cdk8s-mesh: with ${layout}, \`${apply}\` reads ${describe(early[0])}${more} before ${describe(ns)}, `
      + `so on a fresh cluster it fails with namespaces "${name}" not found. Fix: ${fix}.`);
  }
  return errors;
}
