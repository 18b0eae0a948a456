// jest setupFilesAfterEnv: every chart synthesized by any test is validated (see test/validation-hook.ts).
import { CACHE_DIR, installSynthValidation } from '../validation-hook';

// Every validator the tests create (validateManifests, new ManifestValidator, README samples run
// as child processes) shares the hook's cache unless it names its own.
process.env.CDK8S_MESH_VALIDATION_CACHE ??= CACHE_DIR;

installSynthValidation();
