import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Aspects, Manifest, TerraformOutput, TerraformStack, type IAspect } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

/** Folder, inside the stack's output directory, that holds the manifests: `cdktf.out/stacks/<stack>/kubernetes/`. */
export const MANIFESTS_DIR = 'kubernetes';

/** Namespace Pod Security level: blocks privileged pods, host namespaces and hostPath in the team namespace. */
export const POD_SECURITY_ENFORCE = 'baseline';

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'mwaa-platform' };

export interface ServiceAccountManifest {
  readonly namespace: string;
  readonly name: string;
  /** The IRSA role's ARN: a literal in the files, a Terraform reference in the output. */
  readonly roleArn: string;
}

/** YAML scalar: JSON strings are valid double-quoted YAML, so no value can break the document. */
const q = (value: string) => JSON.stringify(value);

const labels = (indent: string, extra: Readonly<Record<string, string>> = {}) =>
  Object.entries({ ...MANAGED_BY, ...extra })
    .map(([k, v]) => `${indent}${k}: ${q(v)}`)
    .join('\n');

export function renderNamespaces(namespaces: readonly string[]): string {
  return [...new Set(namespaces)]
    .sort()
    .map((ns) =>
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        `  name: ${q(ns)}`,
        '  labels:',
        labels('    ', {
          'pod-security.kubernetes.io/enforce': POD_SECURITY_ENFORCE,
          'pod-security.kubernetes.io/warn': 'restricted',
        }),
      ].join('\n'),
    )
    .join('\n---\n')
    .concat('\n');
}

export function renderServiceAccounts(serviceAccounts: readonly ServiceAccountManifest[]): string {
  return [...serviceAccounts]
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
    .map((sa) =>
      [
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata:',
        `  name: ${q(sa.name)}`,
        `  namespace: ${q(sa.namespace)}`,
        '  labels:',
        labels('    '),
        '  annotations:',
        // The EKS pod identity webhook turns this into AWS_ROLE_ARN + a projected web identity token.
        `    eks.amazonaws.com/role-arn: ${q(sa.roleArn)}`,
        // The shared VPC reaches STS through its regional interface endpoint only.
        `    eks.amazonaws.com/sts-regional-endpoints: ${q('true')}`,
      ].join('\n'),
    )
    .join('\n---\n')
    .concat('\n');
}

export interface KubernetesManifestsProps {
  readonly namespaces: readonly string[];
  /** Role ARNs computed from the chosen role names, so the files are complete at synth time. */
  readonly serviceAccounts: readonly ServiceAccountManifest[];
  /** The same service accounts with Terraform's role ARNs, for the output. */
  readonly serviceAccountsFromState: readonly ServiceAccountManifest[];
  /** @default 'kubernetes_manifests' */
  readonly outputName?: string;
}

/**
 * Kubernetes objects the AWS provider cannot create (there is no kubernetes provider here): the team
 * namespace(s) and the IRSA service accounts. They are written as files into the stack's output directory
 * during synth, and as a Terraform output for anyone holding the state instead of the synth output.
 * Apply with `kubectl apply -f cdktf.out/stacks/<stack>/kubernetes/` (see docs/eks.md).
 */
export class KubernetesManifests extends Construct {
  /** File name → content, as written under `kubernetes/`. */
  public readonly files: Readonly<Record<string, string>>;
  public readonly output: TerraformOutput;

  constructor(scope: Construct, id: string, props: KubernetesManifestsProps) {
    super(scope, id);
    this.files = {
      '00-namespaces.yaml': renderNamespaces(props.namespaces),
      '10-service-accounts.yaml': renderServiceAccounts(props.serviceAccounts),
    };
    this.output = new TerraformOutput(this, 'output', {
      description: 'Kubernetes manifests (namespaces, IRSA service accounts) to apply with kubectl after terraform apply',
      value: `${renderNamespaces(props.namespaces)}---\n${renderServiceAccounts(props.serviceAccountsFromState)}`,
    });
    this.output.overrideLogicalId(props.outputName ?? 'kubernetes_manifests');
    // An aspect is cdktf's public hook into synthesis; it runs once per synth, before the stack is written.
    Aspects.of(this).add(new ManifestWriter(this));
  }

  /** Directory the files are written to for a given app output directory. */
  public manifestsDir(outdir: string = App.of(this).outdir): string {
    return join(outdir, Manifest.stacksFolder, TerraformStack.of(this).node.id, MANIFESTS_DIR);
  }
}

class ManifestWriter implements IAspect {
  constructor(private readonly target: KubernetesManifests) {}

  visit(node: IConstruct): void {
    if (node !== this.target) return;
    const dir = this.target.manifestsDir();
    // Rewritten from scratch so a removed service account never lingers in the folder.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(this.target.files)) writeFileSync(join(dir, file), content);
  }
}
