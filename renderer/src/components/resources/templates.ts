import type { KindName } from '../../api/client.js';

export const TEMPLATES: Record<KindName, string> = {
  Function: `apiVersion: serverless.kyma-project.io/v1alpha2
kind: Function
metadata:
  name: my-function
  namespace: default
spec:
  runtime: nodejs22
  source:
    inline:
      source: |
        module.exports = { main: async (event) => ({ hello: event.data ?? 'world' }) };
`,
  Subscription: `apiVersion: eventing.kyma-project.io/v1alpha2
kind: Subscription
metadata:
  name: my-subscription
  namespace: default
spec:
  sink: http://my-function.default.svc.cluster.local
  source: myapp
  types:
    - order.created.v1
`,
  APIRule: `apiVersion: gateway.kyma-project.io/v2
kind: APIRule
metadata:
  name: my-function
  namespace: default
spec:
  hosts:
    - my-function
  service:
    name: my-function
    port: 80
  rules:
    - path: /*
      methods: [GET, POST]
      noAuth: true
`,
  Application: `apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: Application
metadata:
  name: myapp
spec:
  description: My application
`,
  Secret: `apiVersion: v1
kind: Secret
metadata:
  name: my-secret
  namespace: default
type: Opaque
stringData:
  token: change-me
`,
  ConfigMap: `apiVersion: v1
kind: ConfigMap
metadata:
  name: my-config
  namespace: default
data:
  mode: dev
`,
};
