// What a stage's tests hand the stage contract suite (test support, see stage.contract.ts).
import type { StageConnector } from '../core/types.js';

export type StageContractHarness = {
  /**
   * A stage rooted at `root` (a folder, key prefix or stage path) of one store shared by every root:
   * stages of different roots never see each other's files. The suite closes what it opens.
   */
  open(root: string): StageConnector;
  /** A local folder: localPath() names the staged file. Otherwise localPath() is undefined. */
  local: boolean;
  /** What describe(relPath) must return for a stage rooted at `root`. */
  location(root: string, relPath: string): string;
  /** Cloud stages: what externalLocation() must say for a stage rooted at `root` (its credentials aside). */
  external?: (root: string) => { kind: 's3' | 'azure_blob'; url: string };
  /** Credentials the stages carry: never in describe(), an external url, or an error. */
  secrets: string[];
  /** A stage whose credentials the store refuses, and its secrets (stages without credentials leave this out). */
  rejected?: () => { stage: StageConnector; secrets: string[] };
  cleanup(): Promise<void>;
};

export type StageContractContext = {
  harness: StageContractHarness;
  /** Opens a stage on a root no other test uses; closed after the file's tests. */
  fresh(): StageConnector;
  /** The root of the last fresh() stage. */
  root(): string;
  /** A new local file of `bytes` random bytes, with its sha256. */
  file(bytes: number): Promise<{ file: string; sha256: string }>;
};

/** `a/b` from path pieces, leaving out empty ones (a stage root of '' is the store's root). */
export const joinStagePath = (...parts: string[]): string => parts.filter((p) => p !== '').join('/');
