import { contractFromOutputs } from '../../tools/publish-network';
import { networkFingerprint } from '../../model/contract';
import { loadFixture } from '../support/config-fixture';

const { platform } = loadFixture();
const outputs = {
  vpc_id: { value: 'vpc-0abc1234def567890' },
  subnet_ids: { value: ['subnet-0abc1234def567890', 'subnet-0abc1234def567891'] },
  endpoint_security_group_id: { value: 'sg-0abc1234def567890' },
  s3_prefix_list_id: { value: 'pl-6da54004' },
  event_bus_arn: { value: 'arn:aws:events:eu-west-1:111111111111:event-bus/acme-data-mwaa-status' },
  endpoint_manager_role_arn: { value: 'arn:aws:iam::111111111111:role/acme-data-endpoint-manager' },
  network_fingerprint: { value: networkFingerprint(platform) },
  codeartifact_domain: { value: 'acme-data' },
  codeartifact_domain_owner: { value: '111111111111' },
  codeartifact_repository: { value: 'pypi' },
};

describe('publish-network', () => {
  it('turns the owner outputs into a contract the loader accepts', () => {
    expect(contractFromOutputs(outputs, platform)).toEqual({
      platform: 'acme-data',
      region: 'eu-west-1',
      ownerAccountId: '111111111111',
      vpcId: 'vpc-0abc1234def567890',
      subnetIds: ['subnet-0abc1234def567890', 'subnet-0abc1234def567891'],
      endpointSecurityGroupId: 'sg-0abc1234def567890',
      s3PrefixListId: 'pl-6da54004',
      eventBusArn: 'arn:aws:events:eu-west-1:111111111111:event-bus/acme-data-mwaa-status',
      endpointManagerRoleArn: 'arn:aws:iam::111111111111:role/acme-data-endpoint-manager',
      codeArtifact: { domain: 'acme-data', domainOwner: '111111111111', repository: 'pypi' },
      networkFingerprint: networkFingerprint(platform),
      source: 'terraform-output',
    });
  });

  it('names the PyPI mirror outputs when platform.yaml sets the mirror but the owner stack did not output it', () => {
    const { codeartifact_domain: _d, codeartifact_domain_owner: _o, codeartifact_repository: _r, ...withoutMirror } = outputs;
    expect(() => contractFromOutputs(withoutMirror, platform)).toThrow(
      /output for codeArtifact\.domain: .*\n {2}output for codeArtifact\.domainOwner: .*\n {2}output for codeArtifact\.repository: /,
    );
  });

  it('names every missing or malformed output', () => {
    const { vpc_id: _vpc, ...withoutVpc } = outputs;
    expect(() => contractFromOutputs({ ...withoutVpc, endpoint_security_group_id: { value: 'nope' } }, platform)).toThrow(
      /was the owner stack applied\?\):\n {2}output for vpcId: .*\n {2}output for endpointSecurityGroupId: must be a security group id/,
    );
  });
});
