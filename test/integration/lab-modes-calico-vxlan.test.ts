// Every lab of calico-vxlan, headless, on the embedded cluster (test/helpers/lab-modes-suite.ts).
import { labModesSuite } from '../helpers/lab-modes-suite.js';

await labModesSuite('calico-vxlan');
