"""EKS sample pipeline: two EksPodOperator tasks, each running as its own IAM role (IRSA).

list_source_bucket runs as service account ``source-bucket-reader``: it reads the source bucket's name from
SSM and pushes the bucket listing as XCom. write_listing runs as ``destination-bucket-writer``: it reads the
destination bucket's name from SSM and writes that listing there. Each role can read only its own parameter
and touch only its own bucket, so swapping the two service accounts makes both tasks fail with AccessDenied
(on ssm:GetParameter, before any S3 call).

Settings (cluster, namespace, parameter names, image) come from eks_sample_pipeline.json next to this file,
generated from the team's configuration; a unit test keeps the two in step. Triggered manually.
"""
from __future__ import annotations

import json
from pathlib import Path

import pendulum
from airflow import DAG
from airflow.providers.amazon.aws.operators.eks import EksPodOperator

CONFIG = json.loads(Path(__file__).with_name("eks_sample_pipeline.json").read_text())

# The pod writes its result to /airflow/xcom/return.json; the operator's sidecar hands it to XCom.
LIST_SOURCE = (
    "set -eu; "
    'BUCKET="$(aws ssm get-parameter --name "$SOURCE_PARAMETER" --query Parameter.Value --output text)"; '
    "mkdir -p /airflow/xcom; "
    'aws s3api list-objects-v2 --bucket "$BUCKET" --output json > /airflow/xcom/return.json'
)

# The listing arrives as an environment variable rendered from XCom, never spliced into the shell command.
WRITE_LISTING = (
    "set -eu; "
    'BUCKET="$(aws ssm get-parameter --name "$DESTINATION_PARAMETER" --query Parameter.Value --output text)"; '
    'printf "%s" "$LISTING" > /tmp/listing.json; '
    'aws s3 cp /tmp/listing.json "s3://$BUCKET/listings/$RUN_ID.json"'
)

with DAG(
    dag_id="analytics_eks_sample_pipeline",
    description="List a bucket and copy the listing to another, each task with its own IAM role (IRSA on EKS)",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    default_args={
        "cluster_name": CONFIG["cluster_name"],
        "region": CONFIG["region"],
        "namespace": CONFIG["namespace"],
        "image": CONFIG["image"],
        "get_logs": True,
        "on_finish_action": "delete_pod",
        # Carries the XCom sidecar image from the ECR pull-through cache (Docker Hub is unreachable here).
        **({"kubernetes_conn_id": CONFIG["kubernetes_conn_id"]} if CONFIG["kubernetes_conn_id"] else {}),
    },
    tags=["analytics", "eks", "example"],
) as dag:
    list_source_bucket = EksPodOperator(
        task_id="list_source_bucket",
        pod_name="list-source-bucket",
        service_account_name=CONFIG["reader_service_account"],
        cmds=["sh", "-c", LIST_SOURCE],
        env_vars={"SOURCE_PARAMETER": CONFIG["source_parameter"], "AWS_DEFAULT_REGION": CONFIG["region"]},
        do_xcom_push=True,
    )

    write_listing = EksPodOperator(
        task_id="write_listing",
        pod_name="write-listing",
        service_account_name=CONFIG["writer_service_account"],
        cmds=["sh", "-c", WRITE_LISTING],
        env_vars={
            "DESTINATION_PARAMETER": CONFIG["destination_parameter"],
            "AWS_DEFAULT_REGION": CONFIG["region"],
            "LISTING": "{{ ti.xcom_pull(task_ids='list_source_bucket') | tojson }}",
            "RUN_ID": "{{ ts_nodash }}",
        },
    )

    list_source_bucket >> write_listing
