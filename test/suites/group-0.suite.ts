import { runGroup } from './groups';

runGroup(0);
