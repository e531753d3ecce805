import type { Command } from 'commander';
import { apiPath, type IssuerInfo, type MintedToken } from '../../core/api/index.js';
import { CliError } from '../cli-error.js';
import { client } from '../context.js';

/** `90`, `90s`, `15m`, `1h`, `2d` → seconds. */
export function parseTtl(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new CliError(`--ttl "${text}" is not a duration — use e.g. 90s, 15m, 1h or 2d`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
}

const collect = (v: string, acc: string[]): string[] => [...acc, ...v.split(/[ ,]+/).filter(Boolean)];

export function registerToken(program: Command): void {
  const cmd = program
    .command('token')
    .description('print an access token from the local OIDC issuer (for APIRules with jwt rules)')
    .option('-s, --scope <scope>', 'a scope to put in the token (repeatable)', collect, [] as string[])
    .option('-a, --audience <aud>', 'the token audience (default: kyma-local)')
    .option('-u, --user <name>', 'a user of the issuer (profile spec.oidc.users; default: the demo client)')
    .option('--ttl <duration>', 'lifetime, e.g. 15m, 1h', '1h')
    .option('-o, --output <format>', 'json for the whole answer (token, expiry, issuer)')
    .action(async (opts: { scope: string[]; audience?: string; user?: string; ttl: string; output?: string }) => {
      const c = await client();
      const t = await c.request<MintedToken>('POST', apiPath('gatewayToken'), {
        body: { scopes: opts.scope, ttlSeconds: parseTtl(opts.ttl), ...(opts.audience ? { audience: opts.audience } : {}), ...(opts.user ? { user: opts.user } : {}) },
      });
      if (opts.output === 'json') process.stdout.write(`${JSON.stringify(t, null, 2)}\n`);
      else process.stdout.write(`${t.accessToken}\n`);
    });
  cmd
    .command('rotate')
    .description("rotate the local issuer's signing key (the old key stays in the JWKS for a grace period)")
    .action(async () => {
      const c = await client();
      const r = await c.request<{ kid: string; retired: string[] }>('POST', apiPath('gatewayRotate'));
      process.stdout.write(`New signing key ${r.kid}; previous key(s) ${r.retired.join(', ')} stay in the JWKS for the grace period\n`);
    });
  cmd
    .command('issuer')
    .description('show the local issuer: issuer URL, JWKS URI, token endpoint, clients and users')
    .action(async () => {
      const c = await client();
      const i = await c.request<IssuerInfo>('GET', apiPath('gatewayIssuer'));
      process.stdout.write(`Issuer:    ${i.issuer}\nJWKS:      ${i.jwksUri}\nToken:     ${i.tokenEndpoint}\nDiscovery: ${i.discovery}\nClients:   ${i.clients.join(', ')}\nUsers:     ${i.users.join(', ')}\n`);
    });
}
