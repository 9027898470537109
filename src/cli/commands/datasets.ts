/** `privacy-course datasets`: regenerate the committed example data, bit for bit. */
import { writeCustomerDatasets } from "../../data/datasets";
import { writePatientDataset } from "../../data/patients";
import { writeDiabetesDataset } from "../../data/diabetes";
import { writeUtteranceDataset } from "../../data/utterances";
import { parseFlags } from "../options";

export function datasetsCommand(args: string[] = []): string {
  parseFlags("datasets", args, {});
  const written = [...writeCustomerDatasets(), writePatientDataset(), ...writeUtteranceDataset()];
  // diabetes.csv is a copy of scikit-learn's files: rewritten only where those files are at hand.
  const diabetes = writeDiabetesDataset();
  return `Wrote ${[...written, ...(diabetes ? [diabetes] : [])].join(", ")}` +
    (diabetes ? "" : "\n(diabetes.csv kept: run sh scripts/fetch-sklearn-diabetes.sh to re-copy it)");
}
