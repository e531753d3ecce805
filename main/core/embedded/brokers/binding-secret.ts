/** Instance facts the operator adds to a binding's Secret (btp-manager docs: formats of binding secrets). */
export interface InstanceInfo {
  instance_guid: string;
  instance_name: string;
  plan: string;
  type: string;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The Secret's string data for a binding: one key per credential plus the instance facts (default); all credentials
 * as one JSON string under `secretKey` plus the facts; or credentials and facts as one JSON object under `secretRootKey`.
 */
export function bindingSecretData(credentials: Record<string, unknown>, info: InstanceInfo, format: { secretKey?: string; secretRootKey?: string }): Record<string, string> {
  if (format.secretRootKey) return { [format.secretRootKey]: JSON.stringify({ ...credentials, ...info }) };
  const facts: Record<string, string> = { ...info };
  if (format.secretKey) return { [format.secretKey]: JSON.stringify(credentials), ...facts };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(credentials)) out[k] = text(v);
  return { ...out, ...facts };
}
