export interface S3ObjectRef {
  bucket: string;
  key: string;
  size: number | null;
}

/**
 * The objects an event is about: an S3 event notification ({ Records: [{ s3: { bucket, object } }] },
 * keys URL-encoded with '+' for spaces) or EventBridge's "Object Created" event ({ detail: { bucket,
 * object } }, keys as they are).
 */
export function objectsOf(event: unknown): S3ObjectRef[] {
  const e = event as {
    Records?: { s3?: { bucket?: { name?: string }; object?: { key?: string; size?: number } } }[];
    detail?: { bucket?: { name?: string }; object?: { key?: string; size?: number } };
  };
  if (Array.isArray(e?.Records)) {
    return e.Records.filter((r) => r.s3?.bucket?.name && r.s3.object?.key).map((r) => ({
      bucket: r.s3!.bucket!.name!,
      key: decodeURIComponent(r.s3!.object!.key!.replace(/\+/g, " ")),
      size: r.s3!.object!.size ?? null,
    }));
  }
  if (e?.detail?.bucket?.name && e.detail.object?.key) {
    return [{ bucket: e.detail.bucket.name, key: e.detail.object.key, size: e.detail.object.size ?? null }];
  }
  return [];
}
