import { artifactOf } from '../../../model/artifacts';
import { imageReferences, podImageProblems, pullableFromVpc } from '../../../model/validate/pod-images';
import { problemsOf } from '../../support/config-fixture';

const ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const CACHED = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/ecr-public/aws-cli/aws-cli:2.17.0`;

const DOCKER_HUB_DAG = `from airflow.providers.amazon.aws.operators.eks import EksPodOperator

EksPodOperator(
    task_id="copy",
    image="amazon/aws-cli",
    cmds=["aws", "s3", "ls"],
)
`;

describe('images named in DAG files', () => {
  it('finds image= keyword arguments and "image": entries holding a literal, with their line', () => {
    expect(imageReferences(DOCKER_HUB_DAG)).toEqual([{ image: 'amazon/aws-cli', line: 5 }]);
    expect(imageReferences(`{\n  "image": "${CACHED}",\n  "other": "x"\n}`)).toEqual([{ image: CACHED, line: 2 }]);
    expect(imageReferences(`default_args = {'image': 'quay.io/x/y:1'}`)).toEqual([{ image: 'quay.io/x/y:1', line: 1 }]);
  });

  it('does not take a computed image, an Airflow template or a longer name for a literal', () => {
    expect(imageReferences('image=CONFIG["image"]\nimage=f"{REGISTRY}/x"\nimage="{{ var.value.image }}"\nbase_image="x/y"')).toEqual([]);
  });

  it("accepts only the team account's ECR in the platform's region", () => {
    expect(pullableFromVpc(CACHED, ACCOUNT, REGION)).toBe(true);
    expect(pullableFromVpc(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/team/etl@sha256:abc`, ACCOUNT, REGION)).toBe(true);
    expect(pullableFromVpc('amazon/aws-cli', ACCOUNT, REGION)).toBe(false);
    expect(pullableFromVpc('public.ecr.aws/aws-cli/aws-cli:latest', ACCOUNT, REGION)).toBe(false);
    expect(pullableFromVpc(`333333333333.dkr.ecr.${REGION}.amazonaws.com/x:1`, ACCOUNT, REGION)).toBe(false);
    expect(pullableFromVpc(`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/x:1`, ACCOUNT, REGION)).toBe(false);
    expect(pullableFromVpc(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/`, ACCOUNT, REGION)).toBe(false);
  });

  it('names the DAG file, the line, the image and the address that works; other files are not read', () => {
    const dags = [
      artifactOf('dags/etl/copy.py', Buffer.from(DOCKER_HUB_DAG)),
      artifactOf('dags/README.md', Buffer.from('image="amazon/aws-cli"')),
      artifactOf('dags/ok.json', Buffer.from(`{"image": "${CACHED}"}`)),
    ];
    expect(podImageProblems(dags, 'teams/analytics/dags/', ACCOUNT, REGION)).toEqual([
      {
        path: 'dagsPath',
        message:
          'teams/analytics/dags/etl/copy.py line 5: image "amazon/aws-cli" cannot be pulled from the shared VPC (no internet route); ' +
          "use an image in the team account's ECR, 222222222222.dkr.ecr.eu-west-1.amazonaws.com/<repository>:<tag>, " +
          'for a public.ecr.aws image its pull-through cache 222222222222.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/<repository>:<tag>',
      },
    ]);
  });
});

describe('the loader refuses a DAG whose pod image the VPC cannot pull', () => {
  it('accepts the example, whose pods use the pull-through cache', () => {
    expect(problemsOf({})).toEqual([]);
  });

  it('refuses a Docker Hub image in a team DAG, as every other problem: file, field, message', () => {
    expect(problemsOf({ repoFiles: { 'teams/analytics/dags/copy.py': DOCKER_HUB_DAG } })).toEqual([
      'analytics.yaml at dagsPath: teams/analytics/dags/copy.py line 5: image "amazon/aws-cli" cannot be pulled from the shared VPC ' +
        "(no internet route); use an image in the team account's ECR, 222222222222.dkr.ecr.eu-west-1.amazonaws.com/<repository>:<tag>, " +
        'for a public.ecr.aws image its pull-through cache 222222222222.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/<repository>:<tag>',
    ]);
  });
});
