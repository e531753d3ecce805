import { apiPath, type ApiRuleView } from '../core/api/index.js';
import type { DaemonClient } from '../core/daemon-client/index.js';
import { table } from './output.js';

/** Where each APIRule is served and a curl line that needs no DNS; empty when the gateway is not running. */
export async function apiRuleLines(c: DaemonClient, namespace?: string): Promise<string> {
  let items: ApiRuleView[];
  try {
    items = (await c.request<{ items: ApiRuleView[] }>('GET', apiPath('gatewayApiRules'))).items;
  } catch {
    return '';
  }
  const shown = items.filter((r) => namespace === undefined || r.namespace === namespace);
  if (shown.length === 0) return '';
  return table(
    ['APIRULE', 'URL', 'CURL'],
    shown.map((r) => [`${r.namespace}/${r.name}`, r.state === 'Error' ? `(not served: ${r.state})` : r.url, r.state === 'Error' ? '' : r.curl]),
  );
}
