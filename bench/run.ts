/**
 * `npm run bench`: speed is measured here, never in timed tests.
 * Each bench module returns rows of { name, meanMs, goalMs?, note? }.
 */
import { textTable } from "../src/render/text/textTable";
import { benchAccountant } from "./accountant.bench";
import { benchAudit } from "./audit.bench";
import { benchAnonymity } from "./anonymity.bench";
import { benchDpSgd } from "./dpsgd.bench";
import { benchPipeline } from "./pipeline.bench";
import { benchKernel } from "./kernel.bench";
import { benchKernelSoak } from "./kernelSoak.bench";
import { benchFirstImport } from "./firstImport.bench";
import { benchInterrupt } from "./interrupt.bench";
import { benchGan } from "./gan.bench";
import { benchFederated } from "./federated.bench";
import { benchGrading } from "./grading.bench";
import { benchLessons } from "./lessons.bench";

export interface BenchRow {
  name: string;
  meanMs: number;
  goalMs?: number;
  note?: string;
}

async function main(): Promise<void> {
  const sections: [string, () => Promise<BenchRow[]>][] = [
    ["Accountant", benchAccountant],
    ["DP-SGD steps", benchDpSgd],
    ["Pipeline", benchPipeline],
    ["Privacy audit", benchAudit],
    ["Anonymity", benchAnonymity],
    ["Kernel", benchKernel],
    ["Kernel soak", benchKernelSoak],
    ["First import in a fresh kernel", benchFirstImport],
    ["Interrupt", benchInterrupt],
    ["GAN iteration", benchGan],
    ["Federated (voice assistant)", benchFederated],
    ["Grading", benchGrading],
    ["Lessons, headless", benchLessons],
  ];
  const only = process.argv[2];
  for (const [title, bench] of sections) {
    if (only && !title.toLowerCase().includes(only.toLowerCase())) continue;
    const rows = await bench();
    console.log(`\n${title}`);
    console.log(
      textTable(
        ["benchmark", "mean ms", "goal ms", "meets goal", "note"],
        rows.map((r) => [
          r.name,
          r.meanMs,
          r.goalMs ?? "",
          r.goalMs === undefined ? "" : r.meanMs <= r.goalMs ? "yes" : "NO",
          r.note ?? "",
        ]),
      ),
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
