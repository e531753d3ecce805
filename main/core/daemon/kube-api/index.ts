export { createKubeApi, type KubeApi, type KubeApiOptions } from './kube-api.js';
export { parseServiceProxyPath, type ServiceProxyPath, type ServiceResolver } from './service-proxy.js';
