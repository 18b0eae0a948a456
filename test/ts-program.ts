// One TypeScript program over the package root (src/index.ts and what it imports), built once per
// module registry and shared by the specs that read the API with the checker (api-docs,
// package-exports): in the grouped run (jest.suite.config.js) they share one registry, and
// building the program is most of their time.
import * as path from 'path';
import * as ts from 'typescript';

export const INDEX = path.join(__dirname, '..', 'src', 'index.ts');

let program: ts.Program | undefined;

/** The program (strict, CommonJS, ES2022, no ambient types) rooted at src/index.ts. */
export function packageProgram(): ts.Program {
  return program ??= ts.createProgram([INDEX], { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true, types: [] });
}
