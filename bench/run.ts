// Runs every benchmark in this folder that exports `run(): Promise<string>` (a Markdown section),
// or those named on the command line, and appends their sections to bench/RESULTS.md.
//   npm run bench                 every benchmark
//   npm run bench -- fan-out      one of them
import { appendFile, readdir, readFile } from "node:fs/promises";

const folder = new URL("./", import.meta.url);
const wanted = process.argv.slice(2);
const files = (await readdir(folder)).filter((file) => file.endsWith(".ts") && file !== "run.ts").sort();
for (const file of files) {
  if (wanted.length > 0 && !wanted.includes(file.replace(/\.ts$/, ""))) continue;
  // Scripts without run() do their work when imported: only those that export it are loaded.
  if (!/export async function run\(/.test(await readFile(new URL(file, folder), "utf8"))) continue;
  const { run } = (await import(new URL(file, folder).href)) as { run: () => Promise<string> };
  console.log(`# ${file}`);
  const section = await run();
  console.log(section);
  await appendFile(new URL("RESULTS.md", folder), `\n${section}\n`);
}
