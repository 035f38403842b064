// Every lab of calico-ipip, headless, on the embedded cluster (test/helpers/lab-modes-suite.ts).
import { labModesSuite, kernelWithoutIpipSuite } from '../helpers/lab-modes-suite.js';

await labModesSuite('calico-ipip');
await kernelWithoutIpipSuite();

