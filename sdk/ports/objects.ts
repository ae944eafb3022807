/**
 * Reads objects that something else wrote (files uploaded to a bucket, mail stored by SES's receipt rule),
 * named by bucket and key as the event about them names them. Unlike ArtifactStore, which owns its bucket
 * and the rules of its keys, it takes any key.
 */
export interface ObjectReader {
  /** The whole object in memory: for objects of bounded size (SES caps a mail at 40 MB). */
  read(bucket: string, key: string): Promise<Buffer>;
  /** Streams the object into a local file without holding it in memory; resolves to its size in bytes. */
  downloadToFile(bucket: string, key: string, file: string): Promise<number>;
}
