/**
 * `npm run k8s:validate`: checks every manifest under deploy/k8s offline
 * against the Kubernetes OpenAPI schemas that the kubernetes-models package
 * ships (no cluster, no network), and that each Service selects a Deployment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

const directory = path.resolve(__dirname, '../deploy/k8s');
const problems: string[] = [];
const deploymentLabels: Record<string, string>[] = [];
const selectors: [string, Record<string, string>][] = [];
let checked = 0;

for (const file of readdirSync(directory).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')) {
  for (const document of parseAllDocuments(readFileSync(path.join(directory, file), 'utf8'))) {
    if (document.errors.length > 0) {
      problems.push(`${file}: ${document.errors.map((error) => error.message).join('; ')}`);
      continue;
    }
    const manifest = document.toJSON() as { apiVersion: string; kind: string; metadata?: { name?: string }; spec?: any };
    const key = `${manifest.apiVersion}/${manifest.kind}`;
    const Model = models[key];
    if (!Model) {
      problems.push(`${file}: no schema known for ${key}`);
      continue;
    }
    try {
      new Model(manifest as never).validate();
      checked++;
    } catch (error) {
      problems.push(`${file} ${key} ${manifest.metadata?.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (manifest.kind === 'Deployment') deploymentLabels.push(manifest.spec.template.metadata.labels);
    if (manifest.kind === 'Service') selectors.push([manifest.metadata?.name ?? '?', manifest.spec.selector]);
  }
}
for (const [name, selector] of selectors) {
  const matches = deploymentLabels.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
  if (!matches) problems.push(`Service ${name} selects no Deployment's pods`);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`${checked} Kubernetes objects valid`);
