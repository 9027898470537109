// Lessons 0, 3, 6, … of the sorted list (see releaseCheck.ts).
import { releaseCheckShard } from "./releaseCheck";

releaseCheckShard(0);
