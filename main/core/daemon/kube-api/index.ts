export { createKubeApi, type KubeApi, type KubeApiOptions } from './kube-api.js';
