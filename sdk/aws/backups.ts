import { S3Client } from "@aws-sdk/client-s3";
import type { DumpDestination } from "../backups.js";
import { S3ArtifactStore } from "./artifacts.js";

/** The backups bucket as a dump destination (multipart uploads through the artifacts adapter), and its client's close. */
export function s3BackupDestination(region: string, bucket: string): { destination: DumpDestination; close(): void } {
  const client = new S3Client({ region });
  return {
    destination: new S3ArtifactStore(client, { bucket, setting: "backupsBucketName" }),
    close: () => client.destroy(),
  };
}
