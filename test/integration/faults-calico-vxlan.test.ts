// The fault catalogue and troubleshooting labs on calico-vxlan (test/helpers/faults-suite.ts).
import { faultsSuite } from '../helpers/faults-suite.js';

faultsSuite('calico-vxlan');
