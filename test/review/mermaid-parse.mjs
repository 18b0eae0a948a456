// Parses Mermaid diagrams with Mermaid's own parser (the `mermaid` package, ESM), in Node without
// a browser: happy-dom provides the `window` DOMPurify needs. Reads a JSON array of diagram texts
// on stdin, prints a JSON array of { ok, type, error }.
import { Window } from 'happy-dom';

globalThis.window = new Window();
const { default: mermaid } = await import('mermaid');
let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const r = await mermaid.parse(text);
    results.push({ ok: true, type: r.diagramType });
  } catch (e) {
    results.push({ ok: false, error: String(e?.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(results), () => process.exit(0));
