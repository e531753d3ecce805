import http from 'node:http';
import { stringify } from 'yaml';
import { apiToken, type TestHome } from '../helpers/cli.js';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const agent = new http.Agent({ keepAlive: true });

/** One request to the gateway on 127.0.0.1 with an explicit Host (what `curl -H 'Host: …'` does). */
export function viaGateway(port: number, host: string, path = '/', init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', agent, headers: { host, ...init.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export function apiRule(name: string, host: string, rules: unknown[], extra: Record<string, unknown> = {}, service = name): string {
  return stringify({ apiVersion: 'gateway.kyma-project.io/v2', kind: 'APIRule', metadata: { name, namespace: 'default' }, spec: { hosts: [host], service: { name: service, port: 80 }, rules, ...extra } });
}

export async function applyYaml(home: TestHome, yaml: string): Promise<void> {
  await home.cli(['apply', '-f', '-'], { input: yaml });
}

export interface ApiRuleJson {
  status?: { state?: string; description?: string };
}

/** The APIRule's status through the daemon's Kubernetes API (what kubectl reads), without a CLI process per poll. */
export async function apiRuleStatus(home: TestHome, daemonUrl: string, name: string): Promise<ApiRuleJson['status']> {
  const res = await fetch(`${daemonUrl}/apis/gateway.kyma-project.io/v2/namespaces/default/apirules/${name}`, { headers: { authorization: `Bearer ${apiToken(home)}` } });
  return res.ok ? ((await res.json()) as ApiRuleJson).status : undefined;
}
