import { bootstrapReview } from '../../tools/bootstrap';
import type { TerraformPlanJson } from '../../tools/plan-review/plan-json';
import { oidcProviderLabel } from '../../tools/plan-review/levels';
import { OWNER, planOf, synthBootstrap } from '../constructs/bootstrap/support';

/** A plan that creates every resource of a synthesized stack with its configured values (an offline plan's shape). */
function creating(tf: any): TerraformPlanJson {
  const resource_changes = Object.entries(tf.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName as Record<string, any>).map(([name, props]) => {
      const after = Object.fromEntries(Object.entries(props).filter(([k]) => k !== '//'));
      return {
        address: `${type}.${name}`,
        type,
        name,
        mode: 'managed' as const,
        change: { actions: ['create' as const], before: null, after },
      };
    }),
  );
  return { format_version: '1.2', resource_changes };
}

describe('npm run bootstrap -- --plan: the review', () => {
  const plan = planOf();
  const tf = synthBootstrap(plan, OWNER);
  const review = bootstrapReview(plan, [{ stack: `bootstrap-${OWNER}`, plan: creating(tf), config: tf }], 'offline').full;

  it("labels the GitHub OIDC provider as the CI roles' trust, never as IRSA (that is an EKS cluster's provider)", () => {
    expect(review).toContain('create GitHub Actions OIDC provider (federated trust for the CI deploy and plan roles)');
    expect(review).not.toContain('IRSA');
  });
});

describe('IAM OIDC providers are labelled by what signs in with them', () => {
  it.each([
    ['https://token.actions.githubusercontent.com', 'GitHub Actions OIDC provider (federated trust for the CI deploy and plan roles)'],
    [
      'https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF',
      'EKS cluster OIDC provider (federated trust for IRSA: service accounts assuming IAM roles)',
    ],
    // An EKS issuer is known after apply: the plan shows the configuration's reference to the cluster.
    [
      '${<cluster>.identity[0].oidc[0].issuer}',
      'EKS cluster OIDC provider (federated trust for IRSA: service accounts assuming IAM roles)',
    ],
    ['https://login.example.com', 'IAM OIDC provider (federated trust for `https://login.example.com`)'],
    [undefined, 'IAM OIDC provider (federated trust; URL known after apply)'],
  ])('%s', (url, label) => {
    expect(oidcProviderLabel(url)).toBe(label);
  });
});
