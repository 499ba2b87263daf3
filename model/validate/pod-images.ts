import { ECR_PUBLIC_CACHE_PREFIX, ecrRegistryHost } from '../../contracts/container-images';
import { artifactBytes, type ArtifactFile } from '../artifacts';
import type { FieldProblem } from './network';

/** A container image a DAG names literally, with the line it is on (1-based). */
export interface ImageReference {
  readonly image: string;
  readonly line: number;
}

/**
 * `image="…"` keyword arguments and `"image": "…"` mapping entries holding a string literal, as EksPodOperator and
 * KubernetesPodOperator take them, in a Python or JSON DAG file. An image computed at run time (a variable, an
 * f-string, an Airflow template) is not a literal and is not seen.
 */
export function imageReferences(text: string): ImageReference[] {
  const found: ImageReference[] = [];
  const pattern = /(?:\bimage\s*=\s*|["']image["']\s*:\s*)(?<quote>["'])(?<image>[^"'\n{]+)\k<quote>/g;
  for (const m of text.matchAll(pattern)) {
    found.push({ image: m.groups!.image.trim(), line: text.slice(0, m.index).split('\n').length });
  }
  return found;
}

/** Whether a pod of the team's cluster can pull `image`: only from the team account's private ECR in the platform's region. */
export function pullableFromVpc(image: string, accountId: string, region: string): boolean {
  const prefix = `${ecrRegistryHost(accountId, region)}/`;
  return image.startsWith(prefix) && image.length > prefix.length;
}

/**
 * Images in a team's DAG files that its pods could not pull: the shared VPC has no internet route, so Docker Hub,
 * public.ecr.aws, quay.io or another account's registry time out when the pod starts, long after review. Each
 * problem names the DAG file, the line, the image and the address that works (the pull-through cache of ECR Public).
 */
export function podImageProblems(dags: readonly ArtifactFile[], dagsPath: string, accountId: string, region: string): FieldProblem[] {
  const registry = ecrRegistryHost(accountId, region);
  const problems: FieldProblem[] = [];
  for (const file of dags) {
    if (!/\.(py|json)$/.test(file.key)) continue;
    const shown = `${dagsPath.replace(/\/+$/, '')}/${file.key.replace(/^dags\//, '')}`;
    for (const { image, line } of imageReferences(artifactBytes(file).toString('utf8'))) {
      if (pullableFromVpc(image, accountId, region)) continue;
      problems.push({
        path: 'dagsPath',
        message:
          `${shown} line ${line}: image "${image}" cannot be pulled from the shared VPC (no internet route); ` +
          `use an image in the team account's ECR, ${registry}/<repository>:<tag>, ` +
          `for a public.ecr.aws image its pull-through cache ${registry}/${ECR_PUBLIC_CACHE_PREFIX}/<repository>:<tag>`,
      });
    }
  }
  return problems;
}
