// jest setupFilesAfterEnv: every chart synthesized by any test is validated (see test/validation-hook.ts).
import { installSynthValidation } from '../validation-hook';

installSynthValidation();
