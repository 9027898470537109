import { describe, expect, it } from "vitest";
import { clipEachCoordinate, scaleToNorm } from "../../quizzes/voice-assistant";
import { TODO } from "../../src/quiz/check";
import type { Question } from "../../src/quiz/types";
import { question as questionById, scratchProgressPerTest, statusOf } from "../helpers/quizQuestions";

scratchProgressPerTest();

const question = (id: string): Question => questionById("voice-assistant", id);

describe("voice-assistant quiz", () => {
  it("asks what user-level DP covers, and explains the example-level reading", () => {
    const q = question("user-level");
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "A").message).toMatch(/example-level DP/);
    expect(statusOf(q, "D").message).toMatch(/can still memorise/);
    expect(statusOf(q, TODO).status).toBe("not-attempted");
  });

  describe("clipping a user's update (coding, hidden cases)", () => {
    const right = (update: number[], clipNorm: number) => {
      const norm = Math.sqrt(update.reduce((s, u) => s + u * u, 0));
      return update.map((u) => (norm > clipNorm ? (u * clipNorm) / norm : u));
    };

    it("gives full marks to a right answer on the visible and hidden cases", () => {
      const result = statusOf(question("clip-update"), right);
      expect(result.status).toBe("correct");
      expect(result.hidden).toBe(true);
      expect(result.casesRun).toBe(6);
    });

    it("names the tempting wrong answers", () => {
      const q = question("clip-update");
      expect(statusOf(q, clipEachCoordinate).message).toMatch(/each number to \[−C, C\]/);
      expect(statusOf(q, scaleToNorm).message).toMatch(/already shorter than C must stay/);
      const l1 = (u: number[], c: number) => u.map((x) => x * Math.min(1, c / u.reduce((s, v) => s + Math.abs(v), 0)));
      expect(statusOf(q, l1).message).toMatch(/L1 norm/);
    });

    it("catches on a hidden case what the visible ones let through", () => {
      // Right only when the first coordinate is not the largest: passes the visible cases.
      const clipsAllButFirst = (u: number[], c: number) => {
        const r = right(u, c);
        return u[0] > 5 ? u.map((x) => x) : r;
      };
      expect(statusOf(question("clip-update"), clipsAllButFirst, false).status).toBe("correct");
      const hidden = statusOf(question("clip-update"), clipsAllButFirst, true);
      expect(hidden.status).toBe("incorrect");
      expect(hidden.failingCase?.name).toBe("one large coordinate");
    });

    it("scores the blank answer cell as not attempted and a crashing answer as incorrect", () => {
      expect(statusOf(question("clip-update"), TODO).status).toBe("not-attempted");
      // The lesson's blank cell: a function that throws "not implemented".
      const blank = () => {
        throw new Error("not implemented");
      };
      expect(statusOf(question("clip-update"), blank).status).toBe("not-attempted");
      const crashing = (u: number[]) => u.map(() => {
        throw new TypeError("oops");
      });
      expect(statusOf(question("clip-update"), crashing).status).toBe("incorrect");
    });
  });

  it("takes the group-privacy bound k·ε and names ε, √k·ε and ε^k", () => {
    const q = question("group-privacy");
    expect(statusOf(q, 3).status).toBe("correct");
    expect(statusOf(q, 0.5).message).toMatch(/bounds add up/);
    expect(statusOf(q, Math.sqrt(6) * 0.5).message).toMatch(/linearly/);
    expect(statusOf(q, 0.5 ** 6).message).toMatch(/ε's add/);
  });

  it("asks for the user sampling rate", () => {
    const q = question("sampling-rate");
    expect(statusOf(q, "A").status).toBe("correct");
    expect(statusOf(q, "B").message).toMatch(/example-level rate/);
  });
});
