/**
 * Learning the anonymisation settings by trial and error: an agent picks a setting (an
 * "action", e.g. generalisation level × noise multiplier × group size k), the environment
 * anonymises with it and reports the release's utility and its negative events, and the agent
 * is rewarded with utility − penalty × events. Over many episodes it learns which setting
 * gives the best trade-off — the seed's "reinforcement learning with rewards and penalties".
 *
 * Each episode is one choice and one reward, with no state carried between episodes: a
 * multi-armed bandit, the one-step case of reinforcement learning. Four agents share one
 * interface:
 *
 * - "policy-gradient": a softmax policy over action preferences trained by REINFORCE with a
 *   running-average reward baseline (Williams 1992; the gradient bandit of Sutton & Barto 2018,
 *   §2.8). By default the advantage R − baseline is divided by the running standard deviation
 *   of the rewards, so the learning rate does not depend on the units of the reward;
 * - "epsilon-greedy": sample-average value estimates, the best estimate with probability 1 − ε_t
 *   and a uniformly random action otherwise (Sutton & Barto 2018, §2.2–2.4), with
 *   ε_t = max(ε, min(1, τ/t)): random for the first τ choices, then decaying like 1/t as in the
 *   ε_n-greedy of Auer, Cesa-Bianchi & Fischer 2002, down to ε (τ = 0: a constant ε);
 * - "ucb1": the action with the highest mean reward plus c·range·√(2 ln t / n) (Auer,
 *   Cesa-Bianchi & Fischer 2002). UCB1 assumes rewards in [0, 1]; multiplying the bonus by the
 *   observed reward range is that rescaling done with the rewards seen so far. Its bonus is
 *   built for the worst case and keeps exploring a lot;
 * - "ucb1-tuned": the same paper's variant whose bonus uses each action's reward variance,
 *   c·range·√((ln t / n)·min(1/4, V/range² + √(2 ln t / n))); no proven bound, but in the
 *   paper (and here) it settles on the best action much sooner.
 *
 * The bandits try every action once, in order, before anything else (UCB1 needs it; for
 * ε-greedy it avoids judging an action before it has been tried). Ties go to the lower index.
 */
import type { Cell } from "../anonymity/table";
import { createRng } from "../random/rng";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";

export const AGENT_KINDS = ["policy-gradient", "epsilon-greedy", "ucb1", "ucb1-tuned"] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** An action is any plain object with a label (its settings are for the environment to read). */
export interface AgentAction {
  label: string;
}

export interface CreateAgentOptions<A extends AgentAction> {
  kind: AgentKind;
  actions: readonly A[];
  /** Seed of the agent's own random choices (default 7). */
  seed?: number;
  /** policy-gradient: step size α of the preference update (default 0.1). */
  learningRate?: number;
  /** policy-gradient: divide R − baseline by the running std of the rewards (default true). */
  normaliseAdvantage?: boolean;
  /** epsilon-greedy: the smallest probability of a random action, ε (default 0.1). */
  epsilon?: number;
  /** epsilon-greedy: τ in ε_t = max(ε, min(1, τ/t)) (default 5 × the number of actions; 0 = constant ε). */
  explorationSteps?: number;
  /** ucb1, ucb1-tuned: multiplier c of the exploration bonus (default 1). */
  exploration?: number;
}

export interface AgentState {
  kind: AgentKind;
  /** Rewards learned from so far. */
  steps: number;
  /** Rewards learned from, per action. */
  counts: number[];
  /** Mean reward per action (null before its first reward). */
  meanRewards: Array<number | null>;
  /** Probability of each action at the next choose(). */
  probabilities: number[];
  /** The action the agent currently rates best (highest probability or highest mean reward). */
  greedy: number;
  /** policy-gradient: the preferences H (π = softmax H), the baseline and the reward std. */
  preferences?: number[];
  baseline?: number | null;
  rewardStd?: number | null;
  /** epsilon-greedy: the probability of a random action at the next choice. */
  epsilon?: number;
  /** ucb1, ucb1-tuned: mean reward + bonus per action (null until every action has been tried). */
  upperBounds?: Array<number | null>;
}

export interface AgentDescription {
  kind: AgentKind;
  actions: string[];
  seed: number;
  parameters: Record<string, number | boolean>;
  rule: string;
  sources: string[];
}

export interface Agent<A extends AgentAction = AgentAction> {
  readonly kind: AgentKind;
  readonly actions: readonly A[];
  /** The index of the action to try next (random for policy-gradient and ε-greedy, from the seed). */
  choose(): number;
  /** Learns from the reward an action earned. */
  learn(actionIndex: number, reward: number): void;
  /** A plain-data snapshot (nothing in it changes later). */
  state(): AgentState;
  /** The kind, parameters and update rule, for traces. */
  describe(): AgentDescription;
}

const SOURCES = {
  "policy-gradient": [
    "REINFORCE: Williams 1992, Simple statistical gradient-following algorithms for connectionist reinforcement learning",
    "gradient bandit with a reward baseline: Sutton & Barto 2018, Reinforcement Learning: An Introduction, §2.8",
  ],
  "epsilon-greedy": ["ε-greedy with sample averages: Sutton & Barto 2018, Reinforcement Learning: An Introduction, §2.2–2.4"],
  ucb1: ["UCB1: Auer, Cesa-Bianchi & Fischer 2002, Finite-time analysis of the multiarmed bandit problem"],
  "ucb1-tuned": ["UCB1-Tuned: Auer, Cesa-Bianchi & Fischer 2002, Finite-time analysis of the multiarmed bandit problem, §4"],
};

export function createAgent<A extends AgentAction>(options: CreateAgentOptions<A>): Agent<A> {
  if (options === null || typeof options !== "object") throw new InputError("options", "{ kind, actions, seed?, ... }", options);
  const kind = requireOneOf("kind", options.kind, AGENT_KINDS);
  const actions = requireActions<A>(options.actions);
  const seed = requireNumber("seed", options.seed ?? 7, { min: 0, max: 2 ** 31 - 1, integer: true });
  const rng = createRng(seed).fork(`agent/${kind}`);
  const n = actions.length;
  const counts = new Array<number>(n).fill(0);
  const sums = new Array<number>(n).fill(0);
  const squares = new Array<number>(n).fill(0);
  let steps = 0;
  const means = () => counts.map((c, a) => (c > 0 ? sums[a] / c : null));
  /** Highest mean reward among the tried actions (lowest index on ties); 0 before any reward. */
  const bestMean = () => {
    let best = -1;
    counts.forEach((c, a) => {
      if (c > 0 && (best < 0 || sums[a] / c > sums[best] / counts[best])) best = a;
    });
    return Math.max(best, 0);
  };
  const firstUntried = () => counts.findIndex((c) => c === 0);
  const checkLearn = (actionIndex: number, reward: number) => {
    requireNumber("actionIndex", actionIndex, { min: 0, max: n - 1, integer: true });
    requireNumber("reward", reward);
    counts[actionIndex]++;
    sums[actionIndex] += reward;
    squares[actionIndex] += reward * reward;
    steps++;
  };
  const common = { kind, actions };

  if (kind === "policy-gradient") {
    const learningRate = requireNumber("learningRate", options.learningRate ?? 0.1, { min: 0, minExclusive: true, max: 100 });
    const normalise = options.normaliseAdvantage ?? true;
    if (typeof normalise !== "boolean") throw new InputError("normaliseAdvantage", "true or false", normalise);
    const preferences = new Array<number>(n).fill(0);
    // Running mean and sum of squared deviations of the rewards (Welford).
    let rewardMean = 0;
    let rewardM2 = 0;
    const policy = () => softmax(preferences);
    return {
      ...common,
      choose() {
        const pi = policy();
        let u = rng.uniform();
        for (let a = 0; a < n - 1; a++) {
          u -= pi[a];
          if (u < 0) return a;
        }
        return n - 1;
      },
      learn(actionIndex, reward) {
        checkLearn(actionIndex, reward);
        const t = steps;
        // Baseline = mean of the earlier rewards (the first reward is its own baseline).
        const baseline = t === 1 ? reward : rewardMean;
        const delta = reward - rewardMean;
        rewardMean += delta / t;
        rewardM2 += delta * (reward - rewardMean);
        const std = Math.sqrt(rewardM2 / t);
        const advantage = (reward - baseline) / (normalise && std > 0 ? std : 1);
        const pi = policy();
        // ∇ log π(a) with respect to H is 1[b = a] − π(b) for a softmax.
        for (let b = 0; b < n; b++) preferences[b] += learningRate * advantage * ((b === actionIndex ? 1 : 0) - pi[b]);
      },
      state() {
        const pi = policy();
        return {
          kind,
          steps,
          counts: [...counts],
          meanRewards: means(),
          probabilities: pi,
          greedy: argmax(pi),
          preferences: [...preferences],
          baseline: steps > 0 ? rewardMean : null,
          rewardStd: steps > 0 ? Math.sqrt(rewardM2 / steps) : null,
        };
      },
      describe() {
        return {
          kind,
          actions: actions.map((a) => a.label),
          seed,
          parameters: { learningRate, normaliseAdvantage: normalise },
          rule: `π = softmax(H); after reward R for action a: H(b) += α·(R − R̄)${normalise ? "/σ" : ""}·(1[b = a] − π(b)) for every b, with R̄ the mean of the earlier rewards${normalise ? " and σ the std of the rewards so far" : ""}`,
          sources: SOURCES[kind],
        };
      },
    };
  }

  if (kind === "epsilon-greedy") {
    const epsilon = requireNumber("epsilon", options.epsilon ?? 0.1, { min: 0, max: 1 });
    const explorationSteps = requireNumber("explorationSteps", options.explorationSteps ?? 5 * n, { min: 0, integer: true });
    // The choice about to be made is choice number steps + 1.
    const currentEpsilon = () => Math.max(epsilon, Math.min(1, explorationSteps / (steps + 1)));
    const probabilities = () => {
      const untried = firstUntried();
      if (untried >= 0) return oneHot(n, untried);
      const e = currentEpsilon();
      const pi = new Array<number>(n).fill(e / n);
      pi[bestMean()] += 1 - e;
      return pi;
    };
    return {
      ...common,
      choose() {
        const untried = firstUntried();
        if (untried >= 0) return untried;
        // Two draws every time, so the stream does not depend on which branch was taken.
        const explore = rng.uniform() < currentEpsilon();
        const random = rng.int(n);
        return explore ? random : bestMean();
      },
      learn: checkLearn,
      state() {
        return { kind, steps, counts: [...counts], meanRewards: means(), probabilities: probabilities(), greedy: bestMean(), epsilon: currentEpsilon() };
      },
      describe() {
        return {
          kind,
          actions: actions.map((a) => a.label),
          seed,
          parameters: { epsilon, explorationSteps },
          rule: "try every action once; then, at choice t, a uniformly random action with probability ε_t = max(ε, min(1, τ/t)) (τ = explorationSteps), else the action with the highest mean reward",
          sources: SOURCES[kind],
        };
      },
    };
  }

  const exploration = requireNumber("exploration", options.exploration ?? 1, { min: 0 });
  let low = Infinity;
  let high = -Infinity;
  const upperBounds = (): Array<number | null> => {
    if (firstUntried() >= 0) return counts.map(() => null);
    const range = high > low ? high - low : 1;
    const logT = Math.log(steps);
    return counts.map((c, a) => {
      const mean = sums[a] / c;
      if (kind === "ucb1") return mean + exploration * range * Math.sqrt((2 * logT) / c);
      const variance = Math.max(0, squares[a] / c - mean * mean) / (range * range);
      return mean + exploration * range * Math.sqrt((logT / c) * Math.min(0.25, variance + Math.sqrt((2 * logT) / c)));
    });
  };
  const next = () => {
    const untried = firstUntried();
    return untried >= 0 ? untried : argmax(upperBounds() as number[]);
  };
  return {
    ...common,
    choose: next,
    learn(actionIndex, reward) {
      checkLearn(actionIndex, reward);
      low = Math.min(low, reward);
      high = Math.max(high, reward);
    },
    state() {
      return { kind, steps, counts: [...counts], meanRewards: means(), probabilities: oneHot(n, next()), greedy: bestMean(), upperBounds: upperBounds() };
    },
    describe() {
      return {
        kind,
        actions: actions.map((a) => a.label),
        seed,
        parameters: { exploration },
        rule:
          kind === "ucb1"
            ? "try every action once; then the action with the highest mean reward + c·R·√(2 ln t / n), R = max − min reward seen, t the rewards so far and n the action's"
            : "try every action once; then the action with the highest mean reward + c·R·√((ln t / n)·min(1/4, V/R² + √(2 ln t / n))), R = max − min reward seen, V the action's reward variance, t the rewards so far and n the action's",
        sources: SOURCES[kind],
      };
    },
  };
}

// ---------------------------------------------------------------------------------------

export interface EnvironmentOutcome {
  /** How useful the release is (any units; higher is better). */
  utility: number;
  /** Negative events of the release: a count, or counts per kind (e.g. detectNegativeEvents' counts). */
  negativeEvents: number | Record<string, number>;
  /** Anything else to keep in the trace (plain data). */
  details?: unknown;
}

export type Environment<A extends AgentAction> = (action: A, episode: number) => EnvironmentOutcome | Promise<EnvironmentOutcome>;

export interface RunEpisodesOptions<A extends AgentAction> {
  agent: Agent<A>;
  environment: Environment<A>;
  /** Number of episodes (choose, act, learn), at least 1. */
  episodes: number;
  /** Penalty per negative event, or per event of each kind (then the environment must report counts per kind). */
  penaltyPerEvent: number | Record<string, number>;
}

export interface EpisodeRecord {
  episode: number;
  action: number;
  label: string;
  utility: number;
  /** Total negative events. */
  events: number;
  eventsByKind: Record<string, number> | null;
  penalty: number;
  reward: number;
  /** Mean reward of the episodes so far, this one included. */
  runningMeanReward: number;
  /** The agent after learning from this episode. */
  state: AgentState;
  details?: unknown;
}

export interface ActionSummary {
  index: number;
  label: string;
  episodes: number;
  meanReward: number | null;
}

export interface RunEpisodesOutput<A extends AgentAction> {
  /** The action the agent rates best after the last episode, and its mean reward in this run. */
  best: ActionSummary & { action: A };
  perAction: ActionSummary[];
  meanReward: number;
}

export interface RunEpisodesTrace {
  agent: AgentDescription;
  episodes: EpisodeRecord[];
  penaltyPerEvent: number | Record<string, number>;
  definitions: Record<"reward" | "penalty" | "best", string>;
  summary: string;
}

export async function runEpisodes<A extends AgentAction>(options: RunEpisodesOptions<A>): Promise<{ output: RunEpisodesOutput<A>; trace: RunEpisodesTrace }> {
  if (options === null || typeof options !== "object") throw new InputError("options", "{ agent, environment, episodes, penaltyPerEvent }", options);
  const { agent, environment } = options;
  if (agent === null || typeof agent !== "object" || typeof agent.choose !== "function" || typeof agent.learn !== "function" || typeof agent.state !== "function") {
    throw new InputError("agent", "an agent from createAgent", agent);
  }
  if (typeof environment !== "function") throw new InputError("environment", "a function (action, episode) => { utility, negativeEvents, details? }", environment);
  const episodes = requireNumber("episodes", options.episodes, { min: 1, max: 1_000_000, integer: true });
  const penaltyPerEvent = requirePenalty(options.penaltyPerEvent);

  const records: EpisodeRecord[] = [];
  const counts = new Array<number>(agent.actions.length).fill(0);
  const sums = new Array<number>(agent.actions.length).fill(0);
  let total = 0;
  for (let episode = 0; episode < episodes; episode++) {
    const index = agent.choose();
    const outcome = await environment(agent.actions[index], episode);
    const field = `environment result (episode ${episode})`;
    if (outcome === null || typeof outcome !== "object") throw new InputError(field, "{ utility, negativeEvents, details? }", outcome);
    const utility = requireNumber(`${field}.utility`, outcome.utility);
    const { events, eventsByKind, penalty } = scoreEvents(outcome.negativeEvents, penaltyPerEvent, field);
    const reward = utility - penalty;
    agent.learn(index, reward);
    counts[index]++;
    sums[index] += reward;
    total += reward;
    const record: EpisodeRecord = {
      episode,
      action: index,
      label: agent.actions[index].label,
      utility,
      events,
      eventsByKind,
      penalty,
      reward,
      runningMeanReward: total / (episode + 1),
      state: agent.state(),
    };
    if (outcome.details !== undefined) record.details = outcome.details;
    records.push(record);
  }

  const perAction: ActionSummary[] = agent.actions.map((a, index) => ({
    index,
    label: a.label,
    episodes: counts[index],
    meanReward: counts[index] > 0 ? sums[index] / counts[index] : null,
  }));
  const greedy = agent.state().greedy;
  const best = { ...perAction[greedy], action: agent.actions[greedy] };
  const meanReward = total / episodes;
  return {
    output: { best, perAction, meanReward },
    trace: {
      agent: agent.describe(),
      episodes: records,
      penaltyPerEvent,
      definitions: {
        reward: "utility − penalty: what the agent learns to maximise",
        penalty: typeof penaltyPerEvent === "number" ? `${penaltyPerEvent} × the number of negative events` : "Σ over kinds of penaltyPerEvent[kind] × the number of events of that kind",
        best: "the action the agent rates best after the last episode (highest policy probability, or highest mean reward for the bandits), with its mean reward over the episodes it was tried",
      },
      summary: `${episodes} episodes of ${agent.kind}: best ${best.label} (mean reward ${best.meanReward === null ? "n/a" : best.meanReward.toFixed(4)} over ${best.episodes} episodes); mean reward ${meanReward.toFixed(4)}`,
    },
  };
}

export type GridAction<S extends Record<string, readonly Cell[]>> = { label: string } & { [K in keyof S]: S[K][number] };

/**
 * Every combination of the given settings as an action, the last setting varying fastest;
 * labels read "generalisation=1, noise=0.5, k=5".
 */
export function actionGrid<S extends Record<string, readonly Cell[]>>(settings: S): { output: GridAction<S>[]; trace: { settings: Record<string, Cell[]>; actions: number; label: string } } {
  if (settings === null || typeof settings !== "object" || Object.keys(settings).length === 0) {
    throw new InputError("settings", "an object of setting name → non-empty list of values", settings);
  }
  let grid: Record<string, Cell>[] = [{}];
  for (const [name, values] of Object.entries(settings)) {
    if (name === "label") throw new InputError("settings", "setting names other than \"label\" (it names the action)", name);
    if (!Array.isArray(values) || values.length === 0) throw new InputError(`settings.${name}`, "a non-empty list of values", values);
    values.forEach((v, i) => {
      if (typeof v !== "string" && !(typeof v === "number" && Number.isFinite(v))) throw new InputError(`settings.${name}[${i}]`, "a string or a finite number", v);
      if (values.indexOf(v) !== i) throw new InputError(`settings.${name}`, "distinct values", v);
    });
    grid = grid.flatMap((partial) => values.map((v: Cell) => ({ ...partial, [name]: v })));
  }
  const output = grid.map((setting) => ({
    label: Object.entries(setting)
      .map(([name, v]) => `${name}=${v}`)
      .join(", "),
    ...setting,
  })) as GridAction<S>[];
  return {
    output,
    trace: {
      settings: Object.fromEntries(Object.entries(settings).map(([name, values]) => [name, [...values]])),
      actions: output.length,
      label: "every combination of the settings, the last one varying fastest; an action's label lists its settings",
    },
  };
}

// ---------------------------------------------------------------------------------------

function requireActions<A extends AgentAction>(actions: unknown): readonly A[] {
  if (!Array.isArray(actions) || actions.length === 0) throw new InputError("actions", "a non-empty list of actions { label, ...settings }", actions);
  const labels = new Set<string>();
  actions.forEach((a, i) => {
    const label = (a as AgentAction | null)?.label;
    if (a === null || typeof a !== "object" || typeof label !== "string" || label === "") {
      throw new InputError(`actions[${i}]`, "a plain object with a non-empty label", a);
    }
    if (labels.has(label)) throw new InputError(`actions[${i}].label`, "a label no other action has", label);
    labels.add(label);
  });
  return [...(actions as A[])];
}

function requirePenalty(penalty: unknown): number | Record<string, number> {
  if (typeof penalty === "number") return requireNumber("penaltyPerEvent", penalty, { min: 0 });
  if (penalty === null || typeof penalty !== "object" || Array.isArray(penalty)) {
    throw new InputError("penaltyPerEvent", "a number ≥ 0, or an object of event kind → number ≥ 0", penalty);
  }
  const out: Record<string, number> = {};
  for (const [kind, p] of Object.entries(penalty)) out[kind] = requireNumber(`penaltyPerEvent.${kind}`, p, { min: 0 });
  return out;
}

function scoreEvents(
  negativeEvents: unknown,
  penaltyPerEvent: number | Record<string, number>,
  field: string,
): { events: number; eventsByKind: Record<string, number> | null; penalty: number } {
  if (typeof negativeEvents === "number") {
    const events = requireNumber(`${field}.negativeEvents`, negativeEvents, { min: 0 });
    if (typeof penaltyPerEvent !== "number") {
      throw new InputError(`${field}.negativeEvents`, `counts per kind (${Object.keys(penaltyPerEvent).join(", ")}), since penaltyPerEvent is per kind`, negativeEvents);
    }
    return { events, eventsByKind: null, penalty: penaltyPerEvent * events };
  }
  if (negativeEvents === null || typeof negativeEvents !== "object" || Array.isArray(negativeEvents)) {
    throw new InputError(`${field}.negativeEvents`, "a count ≥ 0 or an object of kind → count ≥ 0", negativeEvents);
  }
  const eventsByKind: Record<string, number> = {};
  let events = 0;
  let penalty = 0;
  for (const [kind, count] of Object.entries(negativeEvents)) {
    eventsByKind[kind] = requireNumber(`${field}.negativeEvents.${kind}`, count, { min: 0 });
    events += count;
    if (typeof penaltyPerEvent === "number") {
      penalty += penaltyPerEvent * count;
    } else {
      if (!(kind in penaltyPerEvent)) throw new InputError(`penaltyPerEvent.${kind}`, "a penalty for every kind of event the environment reports", "none");
      penalty += penaltyPerEvent[kind] * count;
    }
  }
  return { events, eventsByKind, penalty };
}

function softmax(preferences: readonly number[]): number[] {
  const max = Math.max(...preferences);
  const exps = preferences.map((h) => Math.exp(h - max));
  const sum = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / sum);
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function oneHot(n: number, index: number): number[] {
  const out = new Array<number>(n).fill(0);
  out[index] = 1;
  return out;
}
