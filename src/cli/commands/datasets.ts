/** `privacy-course datasets`: regenerate the committed example data, bit for bit. */
import { writeCustomerDatasets } from "../../data/datasets";

export function datasetsCommand(): string {
  const written = writeCustomerDatasets();
  return `Wrote ${written.join(", ")}`;
}
