// Runs every bench/*.ts that exports `run()` (each returns a Markdown section) and writes them to
// bench/RESULTS.md under the date, the machine and its load. Scripts without `run()` are run by
// hand. `npm run bench`, or `npm run bench -- reads` for the files whose name contains "reads".
import { readdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem, release } from "node:os";

const only = process.argv[2];
const dir = new URL("./", import.meta.url);
const files = (await readdir(dir)).filter((name) => name.endsWith(".ts") && name !== "run.ts" && (only === undefined || name.includes(only))).sort();
const header = [
  "# Benchmark results",
  "",
  `${new Date().toISOString()}: ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Linux ${release()}, Node ${process.version}, load average ${loadavg().map((n) => n.toFixed(2)).join(" ")} at the start.`,
  "",
];
const sections: string[] = [];
for (const name of files) {
  // Only modules that export run(): the others do their work when imported.
  if (!/export async function run\(/.test(await readFile(new URL(name, dir), "utf8"))) continue;
  console.log(`bench/${name}…`);
  const module = (await import(new URL(name, dir).href)) as { run(): Promise<string> };
  sections.push(await module.run());
}
sections.push(`Load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(" ")}.`);
await writeFile(new URL("RESULTS.md", dir), `${header.join("\n")}\n${sections.join("\n\n")}\n`);
console.log("Wrote bench/RESULTS.md");
