#!/usr/bin/env bash
# Proves the published package works: `npm pack`, then a separate, fresh cdk8s TypeScript app
# installs the tarball (with cdk8s, cdk8s-plus-28 and constructs as its own peer dependencies),
# type-checks and synthesizes a MeshService with the stock `ts-node main.ts`, and the YAML is checked.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d -t cdk8s-mesh-pack.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

TARBALL=$(npm pack --silent --pack-destination "$WORK" | tail -n 1)
echo "packed $TARBALL"
tar -tzf "$WORK/$TARBALL" | sort >"$WORK/contents.txt"
must_have() { grep -qx "package/$1" "$WORK/contents.txt" || { echo "tarball lacks $1" >&2; exit 1; }; }
must_not() { if grep -q "$1" "$WORK/contents.txt"; then echo "tarball must not contain $1" >&2; exit 1; fi; }
must_have lib/src/index.js
must_have lib/src/index.d.ts
must_have lib/imports/networking.istio.io.js
must_have lib/imports/networking.istio.io.d.ts
must_not '^package/test/'
must_not '\.test\.'
must_not '^package/src/'
must_not '^package/lib/src/main\.'
echo "tarball: $(wc -l <"$WORK/contents.txt") files, no tests, no sources"

APP="$WORK/consumer"
mkdir -p "$APP"
cd "$APP"
# The consumer pins the same versions this repo tests with (read from its lockfile).
ver() { (cd "$ROOT" && node -p "require('./node_modules/$1/package.json').version"); }
V_CDK8S=$(ver cdk8s) V_PLUS=$(ver cdk8s-plus-28) V_CONSTRUCTS=$(ver constructs)
V_TYPES=$(ver @types/node) V_TSNODE=$(ver ts-node) V_TS=$(ver typescript)
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
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "skipLibCheck": false, "types": ["node"] } }
JSON
cat >main.ts <<'TS'
import { App, Chart } from 'cdk8s';
import { MeshService } from 'cdk8s-mesh';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const users = new MeshService(chart, 'users', {
  versions: [
    { name: 'v1', image: 'ghcr.io/acme/users:1.0.0' },
    { name: 'v2', image: 'ghcr.io/acme/users:2.0.0', replicas: 1 },
  ],
});
users.deployment('v2').metadata.addAnnotation('owner', 'consumer');
app.synth();
TS
npm install --no-audit --no-fund --prefer-offline --loglevel=error
# The stock cdk8s-init flow: ts-node with type-checking (proves the .d.ts files are complete).
npx ts-node main.ts
Y=dist/shop.k8s.yaml
for want in 'kind: Deployment' 'name: users-v1' 'name: users-v2' 'apiVersion: networking.istio.io/v1' 'kind: DestinationRule' 'owner: consumer'; do
  grep -q "$want" "$Y" || { echo "consumer synth lacks '$want'" >&2; cat "$Y" >&2; exit 1; }
done
echo "consumer app synthesized $(grep -c '^kind:' "$Y") objects from the packed cdk8s-mesh"
