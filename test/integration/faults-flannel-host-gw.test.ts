// The fault catalogue and troubleshooting labs on flannel-host-gw (test/helpers/faults-suite.ts).
import { faultsSuite } from '../helpers/faults-suite.js';

faultsSuite('flannel-host-gw');
