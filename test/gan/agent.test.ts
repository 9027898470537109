import { describe, expect, it } from "vitest";
import { actionGrid, createAgent, runEpisodes, AGENT_KINDS, type AgentKind, type Environment } from "../../src/gan/agent";
import { createRng, type Rng } from "../../src/random/rng";
import { InputError } from "../../src/validation/errors";
import { expectInputError } from "../helpers/expectInputError";

/** Settings of a toy anonymiser: less generalisation and smaller groups are more useful but leak more. */
const { output: actions } = actionGrid({ generalisation: [0, 1, 2], k: [2, 5] });
// Mean utility and mean number of negative events per action (actionGrid order: k varies fastest).
const MEAN_UTILITY = [0.95, 0.9, 0.8, 0.7, 0.55, 0.45];
const MEAN_EVENTS = [8, 5, 1, 0.5, 0.2, 0];
const PENALTY = 0.06;
// Expected rewards 0.47, 0.60, 0.74, 0.67, 0.54, 0.45: the most useful setting is not the best.
const EXPECTED_REWARD = MEAN_UTILITY.map((u, a) => u - PENALTY * MEAN_EVENTS[a]);
const BEST = EXPECTED_REWARD.indexOf(Math.max(...EXPECTED_REWARD));

function poisson(rng: Rng, mean: number): number {
  // Knuth's method: fine for small means.
  const limit = Math.exp(-mean);
  let product = rng.uniform();
  let count = 0;
  while (product > limit) {
    product *= rng.uniform();
    count++;
  }
  return count;
}

/** Noisy utility (N(0, 0.05)) and Poisson events, from its own seeded stream. */
function toyEnvironment(seed: number): Environment<(typeof actions)[number]> {
  const rng = createRng(seed).fork("environment");
  return (action) => {
    const a = actions.findIndex((x) => x.label === action.label);
    return { utility: MEAN_UTILITY[a] + 0.05 * rng.normal(), negativeEvents: poisson(rng, MEAN_EVENTS[a]), details: { a } };
  };
}

const EPISODES = 1000;
/**
 * Plain UCB1's bonus is built for the worst case: with c = 1 (and a gap of 0.07 on rewards
 * spread over ≈ 1) it still spreads its choices almost evenly after 1000 episodes, so it is run
 * with a smaller c here. Every other agent runs with its defaults.
 */
const OPTIONS: Record<AgentKind, { exploration?: number }> = { "policy-gradient": {}, "epsilon-greedy": {}, ucb1: { exploration: 0.3 }, "ucb1-tuned": {} };

async function run(kind: AgentKind, seed = 3) {
  const agent = createAgent({ kind, actions, seed, ...OPTIONS[kind] });
  return runEpisodes({ agent, environment: toyEnvironment(seed), episodes: EPISODES, penaltyPerEvent: PENALTY });
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe("actionGrid", () => {
  it("lists every combination once, labelled with its settings", () => {
    expect(actions).toHaveLength(6);
    expect(new Set(actions.map((a) => a.label)).size).toBe(6);
    for (const a of actions) expect(a.label).toBe(`generalisation=${a.generalisation}, k=${a.k}`);
    expect(EXPECTED_REWARD[0]).toBeLessThan(EXPECTED_REWARD[BEST]);
    expectInputError(() => actionGrid({ k: [] }), "settings.k");
    expectInputError(() => actionGrid({ label: [1] }), "settings");
  });
});

describe.each(AGENT_KINDS)("%s agent on a noisy environment with a known best setting", (kind) => {
  it("earns more at the end than at the start and settles on the best setting", async () => {
    const { output, trace } = await run(kind);
    const rewards = trace.episodes.map((e) => e.reward);
    const fifth = EPISODES / 5;
    expect(mean(rewards.slice(-fifth))).toBeGreaterThan(mean(rewards.slice(0, fifth)));
    const lastChoices = new Array<number>(actions.length).fill(0);
    for (const e of trace.episodes.slice(-fifth)) lastChoices[e.action]++;
    expect(lastChoices.indexOf(Math.max(...lastChoices))).toBe(BEST);
    expect(output.best.index).toBe(BEST);
    expect(output.best.label).toBe(actions[BEST].label);
  });

  it("keeps a consistent trace: reward = utility − penalty, running means, state after learning", async () => {
    const { output, trace } = await run(kind, 11);
    let total = 0;
    trace.episodes.forEach((e, i) => {
      expect(e.episode).toBe(i);
      expect(e.penalty).toBeCloseTo(PENALTY * e.events, 12);
      expect(e.reward).toBeCloseTo(e.utility - e.penalty, 12);
      total += e.reward;
      expect(e.runningMeanReward).toBeCloseTo(total / (i + 1), 9);
      expect(e.state.steps).toBe(i + 1);
      expect(e.state.counts.reduce((s, c) => s + c, 0)).toBe(i + 1);
      expect(e.state.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
      expect(e.details).toEqual({ a: e.action });
    });
    expect(output.meanReward).toBeCloseTo(total / EPISODES, 9);
    const tried = trace.episodes.filter((e) => e.action === output.best.index);
    expect(output.best.episodes).toBe(tried.length);
    expect(output.best.meanReward).toBeCloseTo(mean(tried.map((e) => e.reward)), 9);
    // Plain data: survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("gives the same trace for the same seed and a different one for another seed", async () => {
    const a = await run(kind, 5);
    const b = await run(kind, 5);
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    const c = await run(kind, 6);
    expect(JSON.stringify(c.trace.episodes.map((e) => e.reward))).not.toBe(JSON.stringify(a.trace.episodes.map((e) => e.reward)));
  });
});

describe("policy-gradient update (REINFORCE with a baseline)", () => {
  it("raises the probability of an action rewarded above the baseline and lowers it below", () => {
    const agent = createAgent({ kind: "policy-gradient", actions: actions.slice(0, 3), seed: 1, learningRate: 0.5 });
    expect(agent.state().probabilities).toEqual([1 / 3, 1 / 3, 1 / 3]);
    agent.learn(0, 1); // the first reward is its own baseline: nothing changes
    expect(agent.state().probabilities).toEqual([1 / 3, 1 / 3, 1 / 3]);
    agent.learn(1, 2); // above the baseline of 1
    const after = agent.state();
    expect(after.probabilities[1]).toBeGreaterThan(1 / 3);
    expect(after.probabilities[0]).toBeCloseTo(after.probabilities[2], 12);
    agent.learn(2, 0); // below the baseline of 1.5
    expect(agent.state().probabilities[2]).toBeLessThan(after.probabilities[2]);
  });
});

describe("epsilon-greedy schedule", () => {
  it("explores at random for τ choices, then ε_t = max(ε, τ/t)", () => {
    const agent = createAgent({ kind: "epsilon-greedy", actions, seed: 2, epsilon: 0.05, explorationSteps: 20 });
    const seen: number[] = [];
    for (let t = 1; t <= 200; t++) {
      const a = agent.choose();
      if (t > actions.length) seen.push(agent.state().epsilon as number);
      agent.learn(a, a === 4 ? 1 : 0);
    }
    const e = Math.max(0.05, 20 / 201);
    expect(agent.state().epsilon).toBeCloseTo(e, 12);
    expect(seen[0]).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1]);
    const pi = agent.state().probabilities;
    // Action 4 is the only one ever rewarded: it is the greedy one.
    expect(pi[4]).toBeCloseTo(1 - e + e / 6, 12);
  });
});

describe("penalties per kind of event", () => {
  it("weighs each kind of event by its own penalty", async () => {
    const agent = createAgent({ kind: "ucb1", actions: actions.slice(0, 2), seed: 1 });
    const { trace } = await runEpisodes({
      agent,
      environment: (_, episode) => ({ utility: 1, negativeEvents: { "near-copy": episode, "small-group": 2 } }),
      episodes: 4,
      penaltyPerEvent: { "near-copy": 0.5, "small-group": 0.1 },
    });
    trace.episodes.forEach((e, i) => {
      expect(e.events).toBe(i + 2);
      expect(e.penalty).toBeCloseTo(0.5 * i + 0.2, 12);
      expect(e.eventsByKind).toEqual({ "near-copy": i, "small-group": 2 });
    });
  });
});

describe("bad input", () => {
  it("names the field and the allowed range", async () => {
    expectInputError(() => createAgent({ kind: "sarsa" as AgentKind, actions, seed: 1 }), "kind");
    expectInputError(() => createAgent({ kind: "ucb1", actions: [], seed: 1 }), "actions");
    expectInputError(() => createAgent({ kind: "ucb1", actions: [{ label: "a" }, { label: "a" }], seed: 1 }), "actions[1].label");
    expectInputError(() => createAgent({ kind: "ucb1", actions: [{} as { label: string }], seed: 1 }), "actions[0]");
    expectInputError(() => createAgent({ kind: "policy-gradient", actions, learningRate: 0 }), "learningRate");
    expectInputError(() => createAgent({ kind: "epsilon-greedy", actions, epsilon: 1.5 }), "epsilon", /\[0, 1\]/);
    expectInputError(() => createAgent({ kind: "ucb1", actions, seed: -1 }), "seed");
    const agent = createAgent({ kind: "epsilon-greedy", actions, seed: 1 });
    expectInputError(() => agent.learn(6, 1), "actionIndex", /\[0, 5\]/);
    expectInputError(() => agent.learn(0, Number.NaN), "reward");

    const environment = toyEnvironment(1);
    const rejects = async (promise: Promise<unknown>, field: string) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).field).toContain(field);
    };
    await rejects(runEpisodes({ agent, environment, episodes: 0, penaltyPerEvent: 1 }), "episodes");
    await rejects(runEpisodes({ agent, environment, episodes: 2.5, penaltyPerEvent: 1 }), "episodes");
    await rejects(runEpisodes({ agent, environment, episodes: 3, penaltyPerEvent: -1 }), "penaltyPerEvent");
    await rejects(runEpisodes({ agent, environment: () => ({ utility: Number.NaN, negativeEvents: 0 }), episodes: 3, penaltyPerEvent: 1 }), "utility");
    await rejects(runEpisodes({ agent, environment: async () => ({ utility: 1, negativeEvents: -2 }), episodes: 3, penaltyPerEvent: 1 }), "negativeEvents");
    await rejects(
      runEpisodes({ agent, environment: () => ({ utility: 1, negativeEvents: { "near-copy": 1 } }), episodes: 1, penaltyPerEvent: { "small-group": 1 } }),
      "penaltyPerEvent.near-copy",
    );
  });
});
