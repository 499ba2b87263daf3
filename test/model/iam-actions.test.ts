import fc from 'fast-check';
import { isReadOnlyAction, isWholeServiceAction } from '../../model/iam-actions';

describe('whole-service IAM actions', () => {
  it('are a service prefix and a name of wildcards only, with at least one *, in any case', () => {
    for (const a of ['s3:*', 'S3:*', 's3:**', 's3:?*', 's3:*?', 'secretsmanager:***', 'EC2:*']) expect(isWholeServiceAction(a)).toBe(true);
    for (const a of ['*', 's3:Get*', 's3:*Object', 's3:???', 's3:', ':*', 's3 :*', 's3:* ', 'arn:aws:s3:*'])
      expect(isWholeServiceAction(a)).toBe(false);
  });

  it('property: a name with any letter in it is never the whole service', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[*?]{0,3}[A-Za-z][A-Za-z*?]{0,6}$/), (name) => {
        expect(isWholeServiceAction(`s3:${name}`)).toBe(false);
      }),
    );
    fc.assert(fc.property(fc.stringMatching(/^[*?]{0,4}\*[*?]{0,4}$/), (name) => expect(isWholeServiceAction(`kms:${name}`)).toBe(true)));
  });
});

describe('read-only IAM actions', () => {
  it('are named by a read verb, in any case; anything else, or a malformed name, is not', () => {
    for (const a of [
      'ec2:Describe*',
      's3:GetObject',
      'S3:GETOBJECT',
      'sqs:ListQueues',
      'dynamodb:BatchGetItem',
      's3:HeadObject',
      'logs:ViewThings',
    ])
      expect(isReadOnlyAction(a)).toBe(true);
    for (const a of ['s3:PutObject', 's3:Put*', '*', 's3:*', 'my.s3:GetObject', 's3:GetObject/x', 's3:ObjectGet'])
      expect(isReadOnlyAction(a)).toBe(false);
  });
});
