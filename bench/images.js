// `kyma-local images save` and `images load` of one image of BENCH_IMAGE_MIB (default 512) MiB of random data
// (built with `docker import`; nothing can be pulled here), against `docker save -o` / `docker load -i` of the
// same image in the same run as the baseline. `images load` reads the archive twice (verify, then load). Also
// the daemon's peak RSS (VmHWM) after both, against its peak after `images list`: streaming keeps it flat.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, percentile, round } from './lib-proc.js';

const MIB = Number(process.env.BENCH_IMAGE_MIB ?? 512);
const runs = Number(process.env.BENCH_RUNS ?? 2);
const dir = mkdtempSync(join(tmpdir(), 'kl-bench-images-'));
const image = `kl-bench-images-${process.pid}/big:1`;
const env = { KYMA_LOCAL_HOME: join(dir, 'home'), KYMA_LOCAL_DAEMON_PORT: '0', NO_COLOR: '1' };
const docker = (...args) => execFileSync('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
const timed = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const hwmMb = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

try {
  const rootfs = join(dir, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  cpSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  symlinkSync('busybox', join(rootfs, 'bin', 'sh'));
  execFileSync('sh', ['-c', `head -c ${MIB * 1024 * 1024} /dev/urandom > '${join(rootfs, 'blob')}' && tar -C '${rootfs}' -c . | docker import - ${image}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(rootfs, { recursive: true, force: true });
  const profile = join(dir, 'bench.yaml');
  writeFileSync(profile, ['apiVersion: kyma-local.io/v1alpha1', 'kind: ClusterProfile', 'metadata:', '  name: bench', 'spec:', '  runtime: kind', '  modules: []', '  kind:', '    nodeImage: kindest/node:v1.34.3', `    registryImage: ${image}`, ''].join('\n'));

  await cli(['images', 'list', '--profile', profile], env);
  const pid = JSON.parse(readFileSync(join(env.KYMA_LOCAL_HOME, 'daemon.json'), 'utf8')).pid;
  const idleHwm = hwmMb(pid);

  const raw = join(dir, 'raw.tar');
  const bundle = join(dir, 'bundle.tar');
  const dockerSave = [];
  const imagesSave = [];
  const dockerLoad = [];
  const imagesLoad = [];
  for (let i = 0; i < runs; i++) {
    dockerSave.push(await timed(() => docker('save', '-o', raw, image)));
    imagesSave.push(await timed(() => cli(['images', 'save', '--profile', profile, '-o', bundle, '--force'], env)));
    docker('rmi', image);
    dockerLoad.push(await timed(() => docker('load', '-i', raw)));
    docker('rmi', image);
    imagesLoad.push(await timed(() => cli(['images', 'load', '-i', bundle], env)));
    rmSync(raw);
  }
  const p50 = (v) => percentile(v, 50);
  console.log(
    JSON.stringify({
      bench: 'images',
      image_mib: MIB,
      runs,
      archive_mib: round(statSync(bundle).size / 1024 / 1024),
      docker_save_ms: round(p50(dockerSave)),
      images_save_ms: round(p50(imagesSave)),
      save_vs_docker: round(p50(imagesSave) / p50(dockerSave), 2),
      docker_load_ms: round(p50(dockerLoad)),
      images_load_ms: round(p50(imagesLoad)),
      load_vs_docker: round(p50(imagesLoad) / p50(dockerLoad), 2),
      daemon_peak_rss_mb_idle: round(idleHwm),
      daemon_peak_rss_mb: round(hwmMb(pid)),
    }),
  );
} finally {
  await cli(['daemon', 'stop'], env).catch(() => undefined);
  try {
    docker('rmi', '-f', image);
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true });
}
