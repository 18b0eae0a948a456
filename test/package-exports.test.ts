// The package root is its whole API (issue 16, item 2): every construct, its props and every public
// enum import from 'cdk8s-mesh'; internals (tagged @internal, or not meant for consumers) do not.
// Read with the TypeScript checker over src/, so a new construct that is not exported fails here.
import * as path from 'path';
import * as ts from 'typescript';
import { INDEX, packageProgram } from './ts-program';

const SRC = path.join(__dirname, '..', 'src');
/** The example app: not part of the package (excluded from the build). */
const NOT_SHIPPED = ['main.ts', 'example.ts'].map((f) => path.join(SRC, f));

const program = packageProgram();
const checker = program.getTypeChecker();
const rootExports = new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!).map((s) => s.name));

const isInternal = (node: ts.Node) => ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal');
const hasExport = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Whether `cls` extends constructs' Construct (directly or through cdk8s Chart, ApiObject, ...). */
function isConstruct(cls: ts.ClassDeclaration): boolean {
  let type: ts.Type | undefined = checker.getTypeAtLocation(cls);
  while (type) {
    if (type.symbol?.name === 'Construct' && type.symbol.declarations?.some((d) => d.getSourceFile().fileName.includes('/node_modules/constructs/'))) return true;
    type = checker.getBaseTypes(type as ts.InterfaceType)[0];
  }
  return false;
}

const shipped = program.getSourceFiles().filter((f) => f.fileName.startsWith(SRC + path.sep) && !NOT_SHIPPED.includes(f.fileName));
const constructs: string[] = [];
const enums: string[] = [];
const internals: string[] = [];
for (const file of shipped) {
  ts.forEachChild(file, (node) => {
    if (!hasExport(node)) return;
    const name = (node as ts.DeclarationStatement).name?.getText();
    if (!name) return;
    if (isInternal(node)) internals.push(name);
    else if (ts.isClassDeclaration(node) && isConstruct(node)) constructs.push(name);
    else if (ts.isEnumDeclaration(node)) enums.push(name);
  });
}

test('the source has constructs and enums to check (the scan works)', () => {
  expect(constructs).toEqual(expect.arrayContaining(['MeshService', 'TrafficSplit', 'PeerAuthentication', 'AuthorizationPolicy', 'MeshMonitor', 'ServiceLevelObjectives']));
  expect(enums).toEqual(expect.arrayContaining(['MtlsMode', 'HttpMethod', 'KubernetesVersion']));
});

test('every construct and its props type import from the package root', () => {
  const missing = constructs.flatMap((c) => [c, ...(shipped.some((f) => f.statements.some((s) => ts.isInterfaceDeclaration(s) && s.name.text === `${c}Props`)) ? [`${c}Props`] : [])])
    .filter((n) => !rootExports.has(n));
  expect(missing).toEqual([]);
});

test('every public enum imports from the package root', () => {
  expect(enums.filter((e) => !rootExports.has(e))).toEqual([]);
});

test('nothing tagged @internal is exported from the root; createVersionDeployment is not', () => {
  expect(internals.filter((n) => rootExports.has(n))).toEqual([]);
  expect(rootExports.has('createVersionDeployment')).toBe(false);
});
