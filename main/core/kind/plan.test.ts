import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { classifyKindError, installPlan, kindClusterConfig, kindUpPlan, parseKindProgress, pinNodeImage, imagesInManifest, renderPlan, mirrorPath, NODE_IMAGES, MODULE_RELEASES } from './index.js';

const kindSettings = { clusterName: 'kyma-local', nodeImage: 'kindest/node:v1.34.3', portMappings: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' as const }] };
const profile = { name: 'kind', modules: ['telemetry', 'eventing', 'serverless', 'api-gateway', 'application-connector'] as const, kind: kindSettings, limits: { maxReplicas: 10, eventStreamMaxBytes: 64 * 1024 * 1024, requestBodyMb: 1 } };

describe('kind config', () => {
  it('is a v1alpha4 single-node cluster with a digest-pinned image, loopback port mappings and the registry config path', () => {
    const cfg = kindClusterConfig(kindSettings);
    expect(cfg).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: 'kyma-local', networking: { apiServerAddress: '127.0.0.1', apiServerPort: 0 } });
    expect(cfg.nodes).toEqual([
      {
        role: 'control-plane',
        image: `kindest/node:v1.34.3@${NODE_IMAGES['v1.34.3']}`,
        extraPortMappings: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP', listenAddress: '127.0.0.1' }],
      },
    ]);
    expect(cfg.containerdConfigPatches[0]).toContain('config_path = "/etc/containerd/certs.d"');
  });

  it('pins known tags, keeps explicit digests and rejects unpinned unknown images with the list', () => {
    expect(pinNodeImage(undefined)).toBe(`kindest/node:v1.34.3@${NODE_IMAGES['v1.34.3']}`);
    const explicit = `my/node:v1.36.1@sha256:${'a'.repeat(64)}`;
    expect(pinNodeImage(explicit)).toBe(explicit);
    expect(() => pinNodeImage('kindest/node:v1.31.4')).toThrow(/"kindest\/node:v1.31.4" is not pinned by digest.*kindest\/node:v1.34.3/);
    expect(() => pinNodeImage('kindest/node:latest')).toThrow(/not pinned by digest/);
  });
});

describe('install plan', () => {
  it('follows the documented order with dependencies and skips the connector with the reason', () => {
    const plan = installPlan({ modules: profile.modules, eventStreamMaxBytes: 64 * 1024 * 1024 });
    expect(plan.steps.map((s) => s.module)).toEqual(['istio', 'api-gateway', 'nats', 'eventing', 'serverless', 'telemetry']);
    expect(plan.steps[0]).toMatchObject({ before: ['label namespace kyma-system istio-injection=enabled'], waitFor: { kind: 'MutatingWebhookConfiguration', name: 'istio-sidecar-injector' } });
    for (const s of plan.steps) expect(s.manifestUrl).toMatch(/^https:\/\/github\.com\/kyma-project\/[a-z-]+\/releases\/download\/\d+\.\d+\.\d+\/[a-z-]+\.yaml$/);
    expect(plan.skipped.map((s) => s.module)).toEqual(['application-connector']);
    const only = installPlan({ modules: ['serverless'], eventStreamMaxBytes: 1 });
    expect(only.steps.map((s) => s.module)).toEqual(['serverless']);
  });

  it('sizes the CRs for a laptop: one NATS node, NATS backend with one stream replica, Telemetry may rest in Warning', () => {
    const plan = installPlan({ modules: ['eventing', 'telemetry'], eventStreamMaxBytes: 64 * 1024 * 1024 });
    const cr = (m: string) => plan.steps.find((s) => s.module === m)!.cr;
    expect(cr('nats').spec).toMatchObject({ cluster: { size: 1 } });
    expect(cr('eventing').spec).toEqual({ backend: { type: 'NATS', config: expect.objectContaining({ natsStreamReplicas: 1, natsStreamMaxSize: '64Mi' }) } });
    expect(cr('telemetry').readyStates).toEqual(['Ready', 'Warning']);
  });

  it('reads image references out of a manifest', () => {
    const text = 'containers:\n  - image: europe-docker.pkg.dev/kyma-project/prod/serverless-operator:1.13.0\n    env:\n      - name: IMG\n        value: "europe-docker.pkg.dev/kyma-project/prod/function-runtime-nodejs22:1.13.0"\n      - name: X\n        value: some/path/without-tag\n';
    expect(imagesInManifest(text)).toEqual(['europe-docker.pkg.dev/kyma-project/prod/function-runtime-nodejs22:1.13.0', 'europe-docker.pkg.dev/kyma-project/prod/serverless-operator:1.13.0']);
  });

  it('maps images to the paths containerd asks the mirror for', () => {
    expect(mirrorPath('europe-docker.pkg.dev/kyma-project/prod/nats-manager:1.6.4')).toBe('kyma-project/prod/nats-manager:1.6.4');
    expect(mirrorPath('natsio/nats-server-config-reloader:0.23.0')).toBe('natsio/nats-server-config-reloader:0.23.0');
    expect(mirrorPath('busybox:1.37.0')).toBe('library/busybox:1.37.0');
  });
});

describe('the dry-run plan text', () => {
  it('holds a parseable kind config, every pinned manifest, the CRs and the image list', () => {
    const text = renderPlan(kindUpPlan(profile));
    const cfgBlock = text.split('# kind create cluster --config - <<EOF\n')[1]!.split('\n# EOF')[0]!;
    const cfg = parseYaml(cfgBlock) as { apiVersion: string; nodes: Array<{ image: string }> };
    expect(cfg.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(cfg.nodes[0]!.image).toMatch(/^kindest\/node:v1\.34\.3@sha256:[0-9a-f]{64}$/);
    for (const rel of Object.values(MODULE_RELEASES)) expect(text).toContain(`/releases/download/${rel.tag}/${rel.manifest}`);
    const docs = parseAllDocuments(text.split('# Module CRs (laptop-sized overrides of the default CRs):\n')[1]!).map((d) => d.toJS() as { kind?: string } | null);
    expect(docs.map((d) => d?.kind).filter(Boolean)).toEqual(expect.arrayContaining(['Istio', 'APIGateway', 'NATS', 'Eventing', 'Serverless', 'Telemetry', 'ConfigMap']));
    expect(text).toContain('europe-docker.pkg.dev/kyma-project/prod/eventing-publisher-proxy:1.3.1');
    expect(text).toContain('registry:3');
    expect(text).toContain('skipped: application-connector');
  });
});

describe("kind's output", () => {
  it('classifies failures from stderr, since kind always exits 1', () => {
    expect(classifyKindError('ERROR: failed to create cluster: node(s) already exist for a cluster with the name "kyma-local"', 'kyma-local')).toMatchObject({ code: 'AlreadyExists', fix: expect.stringContaining('kind delete cluster --name kyma-local') });
    const down = 'ERROR: failed to create cluster: failed to list nodes: command "docker ps -a --filter label=io.x-k8s.kind.cluster=kyma-local --format \'{{.Names}}\'" failed with error: exit status 1\nCommand Output: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    expect(classifyKindError(down, 'kyma-local')).toMatchObject({ code: 'DockerNotRunning', message: expect.stringMatching(/Docker is not running — start Docker/) });
    expect(classifyKindError('Command Output: permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock', 'x').code).toBe('PermissionDenied');
    expect(classifyKindError('ERROR: no nodes found for cluster "kyma-local"', 'kyma-local').code).toBe('NoNodes');
    expect(classifyKindError('ERROR: something new', 'x')).toMatchObject({ code: 'Unknown', message: expect.stringContaining('kind failed: something new') });
  });

  it('maps create progress lines to steps', () => {
    expect(parseKindProgress(' • Ensuring node image (kindest/node:v1.34.3) 🖼  ...')).toMatchObject({ step: 'node image', done: false });
    expect(parseKindProgress(' ✓ Starting control-plane 🕹️')).toMatchObject({ step: 'control plane', done: true });
    expect(parseKindProgress('\u001b[32m ✓ Installing CNI 🔌\u001b[0m')).toMatchObject({ step: 'CNI', done: true });
    expect(parseKindProgress('Set kubectl context to "kind-kyma-local"')).toBeUndefined();
  });
});
