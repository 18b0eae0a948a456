// The API reference (docs/api/, generated from the TSDoc by `npm run docs`) keeps what the props
// say (issue 16, item 3): every optional prop of a public *Props / *Options interface documents its
// @default, and the generated page shows each @default and @see the source has.
import * as fs from 'fs';
import * as path from 'path';
import { packageApi } from './ts-program';

const ROOT = path.join(__dirname, '..');
const DOCS = path.join(ROOT, 'docs', 'api', 'interfaces');

const { propsInterfaces: interfaces, props } = packageApi();

/** The `### name` sections of a generated interface page. */
function sections(iface: string): Map<string, string> {
  const page = fs.readFileSync(path.join(DOCS, `${iface}.md`), 'utf8');
  const out = new Map<string, string>();
  for (const part of page.split(/^### /m).slice(1)) out.set(part.split('\n')[0].replace(/\?$/, '').trim(), part);
  return out;
}

test('the public props interfaces are found (the scan works)', () => {
  expect(interfaces).toEqual(expect.arrayContaining(['MeshServiceProps', 'TrafficSplitProps', 'ManifestValidatorOptions', 'MeshValidationPluginProperties']));
  expect(props.filter((p) => p.optional).length).toBeGreaterThan(50);
  expect(props.filter((p) => p.tags.includes('see')).length).toBeGreaterThan(10);
});

test('every optional public prop says its @default', () => {
  expect(props.filter((p) => p.optional && !p.tags.includes('default')).map((p) => `${p.iface}.${p.name}`)).toEqual([]);
});

test('docs/api shows every @default and @see of every public prop (run `npm run docs` after changing TSDoc)', () => {
  const lost: string[] = [];
  for (const p of props) {
    const section = sections(p.iface).get(p.name);
    if (section === undefined) {
      lost.push(`${p.iface}.${p.name}: no section in docs/api/interfaces/${p.iface}.md`);
      continue;
    }
    if (p.tags.includes('default') && !section.includes('#### Default')) lost.push(`${p.iface}.${p.name}: @default`);
    if (p.tags.includes('see') && !section.includes('#### See')) lost.push(`${p.iface}.${p.name}: @see`);
  }
  expect(lost).toEqual([]);
});

test('the reference is deterministic: no absolute paths, no dates', () => {
  const files = fs.readdirSync(path.join(ROOT, 'docs', 'api'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  expect(files.length).toBeGreaterThan(50);
  for (const f of files) {
    const text = fs.readFileSync(path.join(f.parentPath, f.name), 'utf8');
    expect({ file: f.name, absolute: text.includes(ROOT), date: /\b20\d\d-\d\d-\d\d(T| \d)/.test(text) }).toEqual({ file: f.name, absolute: false, date: false });
  }
});
