import type { Command } from 'commander';
import { isRecord, SERVICE_BROKER, type KubeObject } from '../../core/model/index.js';
import { CliError } from '../cli-error.js';
import { client } from '../context.js';
import { table } from '../output.js';
import { listObjects } from '../resource-client.js';

interface PlanRow {
  name: string;
  description?: string;
  free?: boolean;
  unavailable?: string;
}

interface OfferingRow {
  broker: string;
  name: string;
  description: string;
  plans: PlanRow[];
}

/** The merged catalog, read from the ServiceBrokers' status (the controller writes each broker's catalog there). */
function offerings(brokers: KubeObject[]): { rows: OfferingRow[]; problems: string[] } {
  const rows: OfferingRow[] = [];
  const problems: string[] = [];
  for (const b of brokers) {
    if (b.status?.ready !== 'True') {
      const conds = Array.isArray(b.status?.conditions) ? (b.status.conditions as unknown[]) : [];
      const failedCond = conds.find((c) => isRecord(c) && c.type === 'Failed');
      problems.push(`broker ${b.metadata.name}: ${isRecord(failedCond) ? String(failedCond.message) : 'catalog not fetched yet'}`);
    }
    const services = Array.isArray(b.status?.services) ? (b.status.services as unknown[]) : [];
    for (const s of services) {
      if (!isRecord(s)) continue;
      const plans = (Array.isArray(s.plans) ? s.plans : []).filter(isRecord).map((p) => p as unknown as PlanRow);
      rows.push({ broker: b.metadata.name, name: String(s.name), description: String(s.description ?? ''), plans });
    }
  }
  return { rows, problems };
}

export function registerMarketplace(program: Command): void {
  program
    .command('marketplace')
    .description('service offerings and plans of every registered broker (like `cf marketplace`)')
    .option('-o, --output <format>', 'json')
    .action(async (opts: { output?: string }) => {
      if (opts.output && opts.output !== 'json') throw new CliError(`unknown output format "${opts.output}" — use json`);
      const c = await client();
      const { rows, problems } = offerings(await listObjects(c, SERVICE_BROKER, undefined));
      if (opts.output === 'json') {
        process.stdout.write(`${JSON.stringify({ offerings: rows, problems }, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) process.stderr.write('No service offerings — is the btp-operator module in the profile? (`kyma-local status`)\n');
      else {
        const body = rows.map((r) => [r.name, r.plans.map((p) => (p.unavailable ? `${p.name} (unavailable)` : p.name)).join(', '), r.broker, r.description]);
        process.stdout.write(`${table(['OFFERING', 'PLANS', 'BROKER', 'DESCRIPTION'], body)}\n`);
        const unavailable = rows.flatMap((r) => r.plans.filter((p) => p.unavailable).map((p) => `${r.name}/${p.name}: ${p.unavailable}`));
        if (unavailable.length > 0) process.stdout.write(`\nUnavailable plans:\n${unavailable.map((u) => `  ${u}`).join('\n')}\n`);
      }
      for (const p of problems) process.stderr.write(`Warning: ${p}\n`);
    });
}
