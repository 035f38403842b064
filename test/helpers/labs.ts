// Parsing a lab from text in unit tests: the lab, or its errors as printed.
import { parseLab } from '../../src/labs/load.js';
import { formatLabError, type Lab } from '../../src/labs/model.js';

export function labFrom(text: string, file = 'labs/demo.yaml'): Lab {
  const r = parseLab(text, file);
  if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
  return r.lab;
}

export function labErrors(text: string, file = 'labs/demo.yaml', opts: { checkNeeds?: boolean } = {}): string[] {
  const r = parseLab(text, file, opts);
  return r.ok ? [] : r.errors.map(formatLabError);
}
