// Lessons 2, 5, 8, … of the sorted list (see releaseCheck.ts).
import { releaseCheckShard } from "./releaseCheck";

releaseCheckShard(2);
