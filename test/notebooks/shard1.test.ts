// Lessons 1, 4, 7, … of the sorted list (see releaseCheck.ts).
import { releaseCheckShard } from "./releaseCheck";

releaseCheckShard(1);
