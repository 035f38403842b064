// Name rules shared by every kind, with the apiserver's wording.
import type { KubeObject } from './runtime.js';
import { invalid, invalidValue, required, type StatusCause } from './status.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export function checkSubdomain(field: string, value: unknown): StatusCause[] {
  if (value === undefined || value === null || value === '') return [required(field)];
  if (typeof value !== 'string' || value.length > 253 || !SUBDOMAIN.test(value)) return [invalidValue(field, value, SUBDOMAIN_MSG)];
  return [];
}

export function checkLabel(field: string, value: unknown): StatusCause[] {
  if (value === undefined || value === null || value === '') return [required(field)];
  if (typeof value !== 'string' || value.length > 63 || !LABEL.test(value)) return [invalidValue(field, value, LABEL_MSG)];
  return [];
}

/** metadata.name, or the generateName the store will complete. */
export function checkObjectName(obj: Record<string, any>, label = false): StatusCause[] {
  const name = obj.metadata?.name;
  if (!name && !obj.metadata?.generateName) return [required('metadata.name', 'name or generateName is required')];
  if (!name) return [];
  return label ? checkLabel('metadata.name', name) : checkSubdomain('metadata.name', name);
}

/** Throws the apiserver's 422 Invalid when the object's name breaks the rules for its kind. */
export function requireValidName(kind: string, obj: KubeObject, label = false): void {
  const causes = checkObjectName(obj, label);
  if (causes.length) throw invalid(kind, obj.metadata?.name ?? '', causes);
}
