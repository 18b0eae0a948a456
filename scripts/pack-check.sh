#!/usr/bin/env bash
# Proves the published package works for a consumer: `npm pack`, then
#  1. the tarball holds what a consumer needs and nothing else (and its size is printed);
#  2. a fresh cdk8s app installs it with `--legacy-peer-deps` (no peer auto-install), type-checks
#     and synthesizes with the stock `ts-node main.ts`, and runs the validator (CEL needs
#     @bufbuild/protobuf at run time); internals are not importable from the package;
#  3. every app in examples/ installs the tarball, type-checks, and `cdk8s synth`s; in
#     examples/shop the validation plugin of its cdk8s.yaml runs through `cdk8s synth`, passing
#     with kubernetesVersion "1.36" and failing (exit 2) on a field 1.28 lacks with "1.28".
set -euo pipefail
export CDK8S_CHECK_UPGRADE=false # the CLI's upgrade check prints a stack trace offline
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d -t cdk8s-mesh-pack.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
step() { printf '\n--- pack-check: %s\n' "$*"; }
fail() { echo "pack-check: $*" >&2; exit 1; }

step "npm pack"
TARBALL=$(npm pack --silent --pack-destination "$WORK" | tail -n 1)
tar -tzf "$WORK/$TARBALL" | sort >"$WORK/contents.txt"
must_have() { grep -qx "package/$1" "$WORK/contents.txt" || fail "tarball lacks $1"; }
must_not() { if grep -q "$1" "$WORK/contents.txt"; then fail "tarball must not contain $1: $(grep "$1" "$WORK/contents.txt" | head -3 | tr '\n' ' ')"; fi; }
for f in package.json README.md LICENSE CHANGELOG.md bin/cdk8s-mesh.js lib/src/index.js lib/src/index.d.ts \
  lib/imports/networking.istio.io.js lib/imports/networking.istio.io.d.ts \
  schemas/k8s-1.28.0-definitions.json schemas/k8s-1.36-definitions.json schemas/PROVENANCE.md crds/PROVENANCE.md; do
  must_have "$f"
done
for p in '^package/test/' '\.test\.' '^package/src/' '^package/lib/src/main\.' '^package/lib/src/example\.' '^package/lib/test/' \
  '^package/examples/' '^package/docs/' '^package/scripts/' '^package/dist/' '^package/\.' '\.tsbuildinfo$' '\.map$' '^package/tsconfig'; do
  must_not "$p"
done
SIZE=$(wc -c <"$WORK/$TARBALL")
UNPACKED=$(mkdir -p "$WORK/unpacked" && tar -xzf "$WORK/$TARBALL" -C "$WORK/unpacked" && du -sb "$WORK/unpacked/package" | cut -f1)
echo "tarball $TARBALL: $(wc -l <"$WORK/contents.txt") files, $((SIZE / 1024)) KiB packed, $((UNPACKED / 1024)) KiB unpacked; no tests, sources, docs or examples"

# The consumer pins the versions this repo tests with (read from its installed node_modules).
ver() { (cd "$ROOT" && node -p "require('./node_modules/$1/package.json').version"); }
V_CDK8S=$(ver cdk8s) V_PLUS=$(ver cdk8s-plus-28) V_CONSTRUCTS=$(ver constructs) V_CLI=$(ver cdk8s-cli)
V_TYPES=$(ver @types/node) V_TSNODE=$(ver ts-node) V_TS=$(ver typescript)
install() { npm install --no-audit --no-fund --prefer-offline --loglevel=error "$@"; }

step "a fresh cdk8s app, installed with --legacy-peer-deps"
APP="$WORK/consumer"
mkdir -p "$APP"
cd "$APP"
cat >package.json <<JSON
{
  "name": "consumer-app",
  "private": true,
  "dependencies": {
    "cdk8s": "$V_CDK8S",
    "cdk8s-mesh": "file:../$TARBALL",
    "cdk8s-plus-28": "$V_PLUS",
    "constructs": "$V_CONSTRUCTS"
  },
  "devDependencies": {
    "@types/node": "$V_TYPES",
    "ts-node": "$V_TSNODE",
    "typescript": "$V_TS"
  }
}
JSON
cat >tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "skipLibCheck": false, "types": ["node"] }, "include": ["main.ts"] }
JSON
cat >main.ts <<'TS'
import { App, Chart } from 'cdk8s';
import { KubernetesVersion, MeshService, validateChart } from 'cdk8s-mesh';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const users = new MeshService(chart, 'users', {
  versions: [
    { name: 'v1', image: 'ghcr.io/acme/users:1.0.0' },
    { name: 'v2', image: 'ghcr.io/acme/users:2.0.0', replicas: 1 },
  ],
});
users.deployment('v2').metadata.addAnnotation('owner', 'consumer');
// The validator (ajv + @bufbuild/cel, which needs @bufbuild/protobuf) runs in the consumer too.
const result = validateChart(chart, { kubernetesVersion: KubernetesVersion.V1_36 });
if (!result.valid || result.validated === 0) throw new Error(`consumer validation failed: ${JSON.stringify(result.errors)}`);
console.log(`consumer: ${result.validated} objects valid under Kubernetes ${KubernetesVersion.V1_36}`);
app.synth();
TS
install --legacy-peer-deps
# The stock cdk8s-init flow: ts-node with type-checking (proves the .d.ts files are complete).
npx ts-node main.ts
Y=dist/shop.k8s.yaml
for want in 'kind: Deployment' 'name: users-v1' 'name: users-v2' 'apiVersion: networking.istio.io/v1' 'kind: DestinationRule' 'owner: consumer'; do
  grep -q "$want" "$Y" || { cat "$Y" >&2; fail "consumer synth lacks '$want'"; }
done
echo "consumer app synthesized $(grep -c '^kind:' "$Y") objects from the packed cdk8s-mesh"

step "internals are not part of the package's API"
cat >internal.ts <<'TS'
import { createVersionDeployment } from 'cdk8s-mesh';
console.log(createVersionDeployment);
TS
if npx tsc --noEmit --target ES2022 --module commonjs --strict --types node internal.ts >"$WORK/internal.log" 2>&1; then
  fail "import { createVersionDeployment } from 'cdk8s-mesh' type-checks: an internal leaks from the package root"
fi
grep -q "has no exported member 'createVersionDeployment'" "$WORK/internal.log" || { cat "$WORK/internal.log" >&2; fail "unexpected tsc output for the internal import"; }
echo "import { createVersionDeployment } from 'cdk8s-mesh': $(grep -o "error TS[0-9]*: Module .* has no exported member 'createVersionDeployment'" "$WORK/internal.log" | head -1)"
if node -e "require('cdk8s-mesh/lib/src/workload')" 2>"$WORK/deep.log"; then fail "require('cdk8s-mesh/lib/src/workload') works: the exports map does not close deep imports"; fi
grep -q ERR_PACKAGE_PATH_NOT_EXPORTED "$WORK/deep.log" || { cat "$WORK/deep.log" >&2; fail "deep import failed for another reason"; }
node -e "require('cdk8s-mesh/package.json')" || fail "cdk8s-mesh/package.json is not importable"
echo "require('cdk8s-mesh/lib/src/workload'): ERR_PACKAGE_PATH_NOT_EXPORTED; require('cdk8s-mesh/package.json'): ok"

step "README \"Use it in your cdk8s app\", as written: its install commands, tsconfig.json, main.ts, cdk8s.yaml and synth command"
QS="$WORK/readme-quickstart"
mkdir -p "$QS"
# The section's code blocks in order: bash (install), json (tsconfig.json), ts (main.ts), yaml
# (cdk8s.yaml), bash (synth, apply). Only `cdk8s-mesh` is swapped for the tarball: every other
# package resolves the way the README says (so an unpinned or broken range fails here).
node - "$ROOT/README.md" "$QS" "$WORK/$TARBALL" <<'JS'
const fs = require('fs');
const [readme, dir, tarball] = process.argv.slice(2);
const text = fs.readFileSync(readme, 'utf8');
const section = text.slice(text.indexOf('## Use it in your cdk8s app'), text.indexOf('\n## ', text.indexOf('## Use it in your cdk8s app') + 5));
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2] }));
const take = (lang, nth = 0) => {
  const b = blocks.filter((x) => x.lang === lang)[nth];
  if (!b) throw new Error(`README "Use it in your cdk8s app": no ${lang} block #${nth + 1}`);
  return b.body;
};
const commands = (body) => body.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
const install = commands(take('bash', 0)).map((c) => c.replace(/^npm install cdk8s-mesh /, `npm install ${tarball} `));
if (!install.some((c) => c.includes(tarball))) throw new Error('README install block does not start with `npm install cdk8s-mesh ...`');
fs.writeFileSync(`${dir}/package.json`, JSON.stringify({ name: 'readme-quickstart', private: true }, null, 2));
fs.writeFileSync(`${dir}/tsconfig.json`, take('json'));
fs.writeFileSync(`${dir}/main.ts`, take('ts'));
fs.writeFileSync(`${dir}/cdk8s.yaml`, take('yaml'));
const synth = commands(take('bash', 1)).find((c) => c.includes('cdk8s synth'));
fs.writeFileSync(`${dir}/run.sh`, ['set -euo pipefail', ...install.map((c) => `${c} --no-audit --no-fund --prefer-offline --loglevel=error`), `${synth} > synth.log 2>&1 || { cat synth.log >&2; exit 1; }`].join('\n') + '\n');
JS
cd "$QS"
cat run.sh
bash run.sh || fail "the README's quick start, as written, does not synthesize"
grep -q 'Validations ended succesfully' synth.log || { cat synth.log >&2; fail "README quick start: the validation plugin did not pass"; }
test -s dist/mesh-demo.k8s.yaml || fail "README quick start: no dist/mesh-demo.k8s.yaml"
echo "README quick start: $(grep -c '^kind:' dist/mesh-demo.k8s.yaml) objects in dist/mesh-demo.k8s.yaml; $(grep -o 'cdk8s-mesh: [0-9]* objects validated[^(]*' synth.log | sed 's/ *$//'); typescript $(node -p "require('typescript/package.json').version")"

for EXAMPLE in "$ROOT"/examples/*/; do
  NAME=$(basename "$EXAMPLE")
  step "examples/$NAME: install the tarball, type-check, cdk8s synth"
  E="$WORK/examples/$NAME"
  mkdir -p "$E"
  cp "$EXAMPLE"/{main.ts,package.json,tsconfig.json,cdk8s.yaml} "$E/"
  cd "$E"
  # Same dependency names as the example declares; versions pinned to this repo's, cdk8s-mesh from the tarball.
  node -e '
    const fs = require("fs"); const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const pins = JSON.parse(process.argv[1]);
    for (const deps of [p.dependencies, p.devDependencies]) for (const k of Object.keys(deps ?? {})) {
      if (!(k in pins)) throw new Error(`examples/'"$NAME"'/package.json: no pinned version for ${k}`);
      deps[k] = pins[k];
    }
    fs.writeFileSync("package.json", JSON.stringify(p, null, 2));
  ' "{\"cdk8s\":\"$V_CDK8S\",\"cdk8s-plus-28\":\"$V_PLUS\",\"constructs\":\"$V_CONSTRUCTS\",\"cdk8s-cli\":\"$V_CLI\",\"@types/node\":\"$V_TYPES\",\"ts-node\":\"$V_TSNODE\",\"typescript\":\"$V_TS\",\"cdk8s-mesh\":\"file:$WORK/$TARBALL\"}"
  install
  npx tsc --noEmit
  npx cdk8s synth >"$WORK/synth-$NAME.log" 2>&1 || { cat "$WORK/synth-$NAME.log" >&2; fail "examples/$NAME: cdk8s synth failed"; }
  OBJECTS=$(cat dist/*.yaml | grep -c '^kind:')
  [ "$OBJECTS" -gt 0 ] || fail "examples/$NAME: cdk8s synth wrote no objects"
  echo "examples/$NAME: $(ls dist | wc -l) files, $OBJECTS objects"
  if grep -q 'validations:' cdk8s.yaml; then
    grep -q 'Validations ended succesfully' "$WORK/synth-$NAME.log" || { cat "$WORK/synth-$NAME.log" >&2; fail "examples/$NAME: the validation plugin did not pass"; }
    grep -o 'cdk8s-mesh: [0-9]* objects validated against Kubernetes [0-9.]*[^)]*)' "$WORK/synth-$NAME.log"
    # The same app judged by 1.28 rules: its plain Service's trafficDistribution is an unknown field there.
    sed -i 's/kubernetesVersion: "1.36"/kubernetesVersion: "1.28"/' cdk8s.yaml
    set +e; npx cdk8s synth >"$WORK/synth-$NAME-1.28.log" 2>&1; STATUS=$?; set -e
    [ "$STATUS" = 2 ] || { cat "$WORK/synth-$NAME-1.28.log" >&2; fail "examples/$NAME with kubernetesVersion 1.28: cdk8s synth exited $STATUS, expected 2 (validation failed)"; }
    grep -q 'unknown field "spec.trafficDistribution"' "$WORK/synth-$NAME-1.28.log" || { cat "$WORK/synth-$NAME-1.28.log" >&2; fail "examples/$NAME with 1.28: the report does not name spec.trafficDistribution"; }
    echo "examples/$NAME with kubernetesVersion \"1.28\": cdk8s synth exits 2, report: $(grep -o 'spec.trafficDistribution: unknown field[^(]*([^)]*)' "$WORK/synth-$NAME-1.28.log" | head -1)"
  fi
done
