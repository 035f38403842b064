// The fault catalogue and troubleshooting labs on flannel-vxlan (test/helpers/faults-suite.ts).
import { faultsSuite } from '../helpers/faults-suite.js';

faultsSuite('flannel-vxlan');
