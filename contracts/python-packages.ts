/**
 * The platform's CodeArtifact PyPI mirror as the parts agree on it: the owner stack creates it, the participant
 * stack grants execution roles read access and tells each environment where it is, a team's startup script
 * fetches a token and points pip at it. Dependency-free.
 */
import { formatArn } from './aws';

/** The external connection CodeArtifact offers for PyPI (CodeArtifact user guide, "Supported external connection repositories"). */
export const PYPI_EXTERNAL_CONNECTION = 'public:pypi';

/** Where the mirror is, as one network-contract value: domain, its owner account and the repository teams read. */
export interface PythonPackageMirror {
  readonly domain: string;
  readonly domainOwner: string;
  readonly repository: string;
}

/**
 * Airflow configuration options the platform sets on environments that read the mirror. MWAA attaches every
 * option to the containers as an environment variable (`section.key` becomes `AIRFLOW__SECTION__KEY`, custom
 * sections included) before it runs the startup script, so the script reads them without hard-coding another
 * account's id. Teams may not set options of this section.
 */
export const MIRROR_OPTION_SECTION = 'codeartifact';
export const MIRROR_OPTIONS = {
  domain: `${MIRROR_OPTION_SECTION}.domain`,
  domainOwner: `${MIRROR_OPTION_SECTION}.domain_owner`,
  repository: `${MIRROR_OPTION_SECTION}.repository`,
} as const;

/** The environment variable MWAA sets for an Airflow configuration option (`codeartifact.domain` → `AIRFLOW__CODEARTIFACT__DOMAIN`). */
export const airflowOptionEnvVar = (option: string): string => `AIRFLOW__${option.toUpperCase().replace('.', '__')}`;

/** The options for one mirror, ready to merge into an environment's `airflow_configuration_options`. */
export const mirrorAirflowOptions = (mirror: PythonPackageMirror): Record<string, string> => ({
  [MIRROR_OPTIONS.domain]: mirror.domain,
  [MIRROR_OPTIONS.domainOwner]: mirror.domainOwner,
  [MIRROR_OPTIONS.repository]: mirror.repository,
});

/** ARN of a CodeArtifact domain (Service Authorization Reference: `arn:${Partition}:codeartifact:${Region}:${Account}:domain/${DomainName}`). */
export const codeArtifactDomainArn = (p: { partition: string; region: string }, mirror: PythonPackageMirror): string =>
  formatArn({
    partition: p.partition,
    service: 'codeartifact',
    region: p.region,
    account: mirror.domainOwner,
    resource: 'domain',
    resourceName: mirror.domain,
  });

/** ARN of a repository in it (`…:repository/${DomainName}/${RepositoryName}`). */
export const codeArtifactRepositoryArn = (
  p: { partition: string; region: string },
  mirror: PythonPackageMirror,
  repository = mirror.repository,
): string =>
  formatArn({
    partition: p.partition,
    service: 'codeartifact',
    region: p.region,
    account: mirror.domainOwner,
    resource: 'repository',
    resourceName: `${mirror.domain}/${repository}`,
  });

/**
 * Host of the domain's repository endpoint (`<domain>-<owner>.d.codeartifact.<region>.amazonaws.com`), which the
 * `codeartifact.repositories` endpoint's private DNS answers inside the VPC.
 */
export const codeArtifactRepositoryHost = (region: string, mirror: Pick<PythonPackageMirror, 'domain' | 'domainOwner'>): string =>
  `${mirror.domain}-${mirror.domainOwner}.d.codeartifact.${region}.amazonaws.com`;

/** The interface endpoints CodeArtifact needs in a VPC without internet: its API (tokens) and its repositories (pip). */
export const CODEARTIFACT_ENDPOINTS = ['codeartifact.api', 'codeartifact.repositories'] as const;
