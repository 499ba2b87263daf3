import { overlaps, parseCidr } from '../cidr';
import { AIRFLOW3_RECOVERY_SCOPE, metadataDagsCarry } from '../recovery';
import type { PlatformFile } from '../schema/platform';
import type { TeamConfig } from '../model';
import type { ConfigProblem } from '../errors';
import { validateVpcLayout, type FieldProblem } from './network';

/**
 * platform.yaml's `recovery` section: a region other than the primary, and a VPC whose layout is valid in that
 * region and whose CIDR does not overlap the primary VPC's (the two are routed to one corporate network; a later
 * peering or transit gateway would be impossible with overlapping ranges).
 */
export function validateRecoveryNetwork(platform: PlatformFile): FieldProblem[] {
  const recovery = platform.recovery;
  if (!recovery) return [];
  const problems: FieldProblem[] = [];
  if (recovery.region === platform.region) {
    problems.push({
      path: 'recovery.region',
      message: `the recovery region must differ from the primary region ${platform.region}: a regional outage takes both down`,
    });
  }
  problems.push(...validateVpcLayout(recovery.network, recovery.region, 'recovery.network'));
  const primaryMode = platform.network.create ? 'create' : 'adopt';
  const recoveryMode = recovery.network.create ? 'create' : 'adopt';
  const primaryCidr = (platform.network.create ?? platform.network.adopt)!.cidr;
  const recoveryCidr = (recovery.network.create ?? recovery.network.adopt)!.cidr;
  const primary = parseCidr(primaryCidr);
  const second = parseCidr(recoveryCidr);
  if (primary && second && overlaps(primary, second)) {
    problems.push({
      path: `recovery.network.${recoveryMode}.cidr`,
      message: `${recoveryCidr} overlaps the primary VPC's ${primaryCidr} (network.${primaryMode}.cidr); the recovery VPC needs a range of its own`,
    });
  }
  return problems;
}

/** A team may ask for recovery only when the platform has a recovery region; the backup schedule only with recovery. */
export function validateTeamRecovery(platform: PlatformFile, team: TeamConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  team.environments.forEach((env, index) => {
    if (env.recovery && !platform.recovery) {
      problems.push({
        file: team.file,
        path: `environments[${index}].recovery`,
        message: `${env.recovery} needs a recovery region, and platform.yaml has no recovery section; ask the platform team for one or leave recovery out`,
      });
    }
    if (env.recoveryBackupSchedule !== undefined && !env.recovery) {
      problems.push({
        file: team.file,
        path: `environments[${index}].recoveryBackupSchedule`,
        message: 'applies only to an environment with recovery: warm-standby or backup-restore',
      });
    }
  });
  return problems;
}

/**
 * Valid but worth saying: Airflow 3 took direct metadata-database access away from tasks, so the platform's
 * backup DAG cannot export the metadata of such an environment (docs/disaster-recovery.md says what is carried).
 */
export function recoveryWarnings(team: TeamConfig): ConfigProblem[] {
  return team.environments.flatMap((env, index) =>
    env.recovery && !metadataDagsCarry(env)
      ? [
          {
            file: team.file,
            path: `environments[${index}].recovery`,
            message: `Airflow ${env.airflowVersion} gives tasks no metadata-database access: ${AIRFLOW3_RECOVERY_SCOPE} (docs/disaster-recovery.md, "Airflow 3.x")`,
          },
        ]
      : [],
  );
}
