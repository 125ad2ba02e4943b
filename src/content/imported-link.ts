// What every import source yields: one link as another service kept it, before Glose checks it.
import { failureText, type ImportFailure, type Place } from "./import-failures.ts";

export interface ImportedLink {
  /** The address as written in the source; null for a note without a link. */
  readonly url: string | null;
  readonly title: string;
  /** Commentary, as Markdown (Shaarli's is Markdown already). */
  readonly description: string;
  readonly tags: readonly string[];
  /** The folders the bookmark sits in, outermost first (browsers' exports). */
  readonly folders: readonly string[];
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  readonly private: boolean;
  /** Shaarli's short URL hash, so that old `?hash` links keep working. */
  readonly shortUrl: string | null;
  /** Where it sits in the source, for error messages: line 12, entry 3. */
  readonly place: Place;
}

/** A source that cannot be read as a whole: nothing from it is imported. Its message is English. */
export class ImportFormatError extends Error {
  override name = "ImportFormatError";
  readonly failure: ImportFailure;

  constructor(failure: ImportFailure) {
    super(failureText(failure));
    this.failure = failure;
  }
}
