// A problem found while reading zone files. Zone loading collects these as
// values rather than throwing, so one run reports every mistake in every file
// (the way `named-checkzone` does) instead of stopping at the first.
//
// The same class carries warnings; callers keep them in a separate array.

export class ZoneError {
  /**
   * @param file the file as the user named it (relative paths stay relative)
   * @param line 1-based line where the offending record starts; 0 when the
   *   problem concerns the whole file or directory rather than one line
   * @param reason what is wrong, phrased for the person editing the file
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {}

  /** `file:line: reason`, the format editors and CI annotations understand. */
  toString(): string {
    return this.line > 0 ? `${this.file}:${this.line}: ${this.reason}` : `${this.file}: ${this.reason}`;
  }
}
