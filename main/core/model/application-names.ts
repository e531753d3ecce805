// Names the application connector derives from an Application, as upstream derives them, so that gateway URLs and
// event sources are the same locally as on a cluster.

/**
 * The `<service>` segment of a gateway URL: application-operator's normalization.NormalizeName — every run of
 * non-alphanumerics becomes `-`, lower case, one trailing `-` dropped, cut to 57 characters, one leading `-` dropped.
 */
export function normalizeServiceName(displayName: string): string {
  let n = displayName.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
  if (n.endsWith('-')) n = n.slice(0, -1);
  if (n.length > 57) n = n.slice(0, 57);
  return n.startsWith('-') ? n.slice(1) : n;
}

/** Upstream's optional Application label whose value replaces the name as the legacy event source. */
export const APPLICATION_TYPE_LABEL = 'application-type';

/**
 * The event source a legacy `/<app>/v1/events` publish gets for a registered Application (eventing-publisher-proxy
 * application.GetCleanTypeOrName): the `application-type` label's value (key matched case-insensitively) or the
 * name, with every non-word character and `_` removed.
 */
export function cleanTypeOrName(name: string, labels: Record<string, string> | undefined): string {
  let v = name;
  for (const [k, val] of Object.entries(labels ?? {})) {
    if (k.toLowerCase() === APPLICATION_TYPE_LABEL) {
      v = val;
      break;
    }
  }
  return v.replace(/\W|_/g, '');
}

export const GATEWAY_SERVICE = 'central-application-gateway';
export const GATEWAY_NAMESPACE = 'kyma-system';
/** Upstream's ports: 8080 proxies `/<app>/<service>/<path>`, 8082 the Compass form with the entry name, 8081 health. */
export const GATEWAY_PORTS = { proxy: 8080, external: 8081, compass: 8082 } as const;

/** The in-cluster URL function code uses for an API entry (the 8080 form). */
export function clusterGatewayUrl(app: string, serviceDisplayName: string): string {
  return `http://${GATEWAY_SERVICE}.${GATEWAY_NAMESPACE}:${GATEWAY_PORTS.proxy}/${app}/${normalizeServiceName(serviceDisplayName)}`;
}
