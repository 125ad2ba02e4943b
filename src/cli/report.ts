import { problemText } from "../content/import-failures.ts";
import type { ImportReport } from "../services/importing.ts";

/** An import's counts in one line, then the problems found, one a line. */
export function formatReport(report: ImportReport): string {
  const { counts } = report;
  const head = report.dryRun ? "Dry run, nothing written:" : "Imported:";
  const line = `${head} ${counts.new} new, ${counts.duplicates} duplicates (${counts.updated} updated), ${counts.private} private, ${counts.errors} errors`;
  return [line, ...report.problems.map((problem) => `  ${problemText(problem)}`)].join("\n");
}
