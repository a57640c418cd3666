"""Create the object-storage buckets the platform needs, if they are missing (compose.yaml runs it once).

Reads the same environment as the app servers: AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, MEDIA_BUCKET and PRIVATE_MEDIA_BUCKET. The public media bucket
gets a policy that lets anyone read its images (core/object_storage.py; nobody may list it or read documents).
A real object store (AWS S3, MinIO, Ceph …) usually has its buckets made by whoever runs it.
"""

import os
import sys
import time

import boto3
from botocore.exceptions import ClientError, EndpointConnectionError

from core.object_storage import media_bucket_policy

ATTEMPTS = 30  # the storage server may still be starting


def main() -> int:
    region = os.environ.get("AWS_S3_REGION_NAME") or "us-east-1"
    client = boto3.client(
        "s3", endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None, region_name=region
    )
    # S3 wants the region named for every bucket outside us-east-1, and refuses it for us-east-1.
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    buckets = [os.environ["MEDIA_BUCKET"], os.environ["PRIVATE_MEDIA_BUCKET"]]
    for attempt in range(ATTEMPTS):
        try:
            existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
            break
        except EndpointConnectionError:
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(1)
    for name in buckets:
        if name in existing:
            print(f"bucket {name}: exists")
            continue
        try:
            client.create_bucket(Bucket=name, **location)
        except ClientError as error:
            if error.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
                raise
        print(f"bucket {name}: created")
    client.put_bucket_policy(
        Bucket=os.environ["MEDIA_BUCKET"], Policy=media_bucket_policy(os.environ["MEDIA_BUCKET"])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
