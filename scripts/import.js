#!/usr/bin/env node
// Regenerates imports/ from the vendored CRD files in crds/ — offline, deterministic, idempotent.
//
// The vendored files are kept whole (the validation layer reads them too); this script trims a
// temporary copy to the kinds and versions the package renders, so the generated classes stay
// small (the whole Istio file makes a 1 MB networking.istio.io.ts that costs ~0.7 s per ts-node
// start) and the unsuffixed class names are the versions we emit (cdk8s names the first listed
// version without a suffix).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const CRDS = path.join(ROOT, 'crds');
const OUT = path.join(ROOT, 'imports');

/** file in crds/ → { CRD kind: served version to import } */
const KEEP = {
  'istio-1.30.3-crd-all.gen.yaml': {
    VirtualService: 'v1',
    DestinationRule: 'v1',
    PeerAuthentication: 'v1',
    AuthorizationPolicy: 'v1',
    Telemetry: 'v1',
    Gateway: 'v1',
    ServiceEntry: 'v1',
    Sidecar: 'v1',
    RequestAuthentication: 'v1',
  },
  'gateway-api-1.5.1-experimental.yaml': { HTTPRoute: 'v1', Gateway: 'v1' },
  'linkerd-edge-26.8.3-policy-crds.yaml': {
    Server: 'v1beta3',
    MeshTLSAuthentication: 'v1alpha1',
    NetworkAuthentication: 'v1alpha1',
    AuthorizationPolicy: 'v1alpha1',
  },
  'prometheus-operator-v0.93.0-servicemonitors.yaml': { ServiceMonitor: 'v1' },
  'prometheus-operator-v0.93.0-podmonitors.yaml': { PodMonitor: 'v1' },
  'prometheus-operator-v0.93.0-prometheusrules.yaml': { PrometheusRule: 'v1' },
};

function trimmed() {
  const docs = [];
  for (const [file, kinds] of Object.entries(KEEP)) {
    const seen = new Set();
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(CRDS, file), 'utf8'))) {
      const crd = doc.toJS();
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      const version = kinds[crd.spec.names.kind];
      if (!version) continue;
      const versions = crd.spec.versions.filter((v) => v.name === version);
      if (versions.length !== 1) {
        throw new Error(`import: ${file} has no version ${version} of ${crd.spec.names.kind}`);
      }
      crd.spec.versions = versions;
      docs.push(crd);
      seen.add(crd.spec.names.kind);
    }
    for (const kind of Object.keys(kinds)) {
      if (!seen.has(kind)) throw new Error(`import: ${file} has no CRD of kind ${kind}`);
    }
  }
  return docs;
}

function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-import-'));
  try {
    const input = path.join(tmp, 'crds.yaml');
    fs.writeFileSync(input, trimmed().map((d) => YAML.stringify(d)).join('---\n'));
    const staging = path.join(tmp, 'imports');
    const cli = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
    const run = spawnSync(process.execPath, [cli, 'import', input, '--no-save', '--language', 'typescript', '--output', staging], {
      cwd: ROOT,
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
      encoding: 'utf8',
    });
    if (run.status !== 0) {
      process.stderr.write(run.stdout + run.stderr);
      throw new Error(`import: cdk8s import exited with ${run.status}`);
    }
    // Replace imports/ only once generation succeeded, so a failure never leaves it half-written.
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.cpSync(staging, OUT, { recursive: true });
    for (const f of fs.readdirSync(OUT).sort()) console.log(`imports/${f}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
