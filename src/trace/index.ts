// Trace parsers: GNU traceroute, busybox traceroute, tracepath, mtr --report.
export { parseTrace, detectFamily } from './parse.js';
