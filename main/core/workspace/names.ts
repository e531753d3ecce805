const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `name` is not a DNS-1123 label (what Kubernetes requires for Function and Service names), or undefined. */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 63) return `must be at most 63 characters (has ${name.length})`;
  if (!DNS1123_LABEL.test(name)) {
    return 'must consist of lower case letters, digits and "-", and start and end with a letter or digit (e.g. "order-created")';
  }
  return undefined;
}

export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 253) return `must be at most 253 characters (has ${name.length})`;
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return 'must consist of lower case letters, digits, "-" and ".", and start and end with a letter or digit';
  }
  return undefined;
}

/** A DNS-1123 label made from any folder name, for `kyma-local init` suggestions. */
export function suggestName(raw: string): string {
  const s = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return s || 'my-function';
}
