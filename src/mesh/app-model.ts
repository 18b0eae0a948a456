// One AppModel per app (construct tree root): constructs record their models here as they are
// built; whole-app analysis reads it at synth.
import { IConstruct } from 'constructs';
import { AppModel } from '../models/app';

const byRoot = new WeakMap<IConstruct, AppModel>();

/** The AppModel of `scope`'s app. @internal */
export function appModelOf(scope: IConstruct): AppModel {
  const root = scope.node.root;
  let model = byRoot.get(root);
  if (!model) byRoot.set(root, model = new AppModel());
  return model;
}
