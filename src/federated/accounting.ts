/**
 * The accounting both training runs of the case share: σ calibrated to the target under the
 * chosen accountant ("rdp" by default, or "pld"), that accountant built for the run's privacy
 * unit (a user for DP-FedAvg, a next-word example for DP-SGD), one recorder called per round or
 * step, and the trace's privacy record read off the accountant's own history.
 */
import {
  accountantFor,
  accountantLabel,
  calibrateNoise,
  sampledGaussianEvent,
  stepRecorder,
  type AccountantChoice,
  type AccountantDescription,
  type AccountantKind,
  type DpEvent,
  type NeighbouringRelation,
  type PrivacyUnit,
} from "../privacy/accountant";

export interface RunPrivacy {
  unit: PrivacyUnit;
  neighbouring: NeighbouringRelation;
  /** Which analysis measured ε. */
  accountant: AccountantKind;
  /** Its name and source, for a reader (e.g. "PLD (connect-the-dots, …; loss grid h = …)"). */
  accountantName: string;
  /** The accountant as plain data: its unit, its orders (RDP) or its loss grid (PLD). */
  accountantDetails: AccountantDescription;
  /** The run as one accountant event, for any accountant. */
  event: DpEvent;
  noiseMultiplier: number;
  clipNorm: number;
  epsilon: number;
  delta: number;
  /** The Rényi order at which ε was attained (null under PLD, which has no orders). */
  order: number | null;
  /** The accountant's warnings about ε (an edge of the order grid, an infinite bound). */
  warnings: string[];
}

export interface AccountedRun {
  noiseMultiplier: number;
  /** Records one round or step (a Poisson-subsampled Gaussian release at the run's rate). */
  record: () => void;
  /** ε spent so far. */
  epsilon: () => number;
  /** The privacy record of what was recorded so far. */
  privacy: (clipNorm: number) => RunPrivacy;
}

/** Calibrates σ for `steps` releases at `sampleRate` to `targetEpsilon`, and accounts them as they happen. */
export function accountedRun(params: {
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  unit: PrivacyUnit;
  accountant: AccountantChoice | undefined;
}): AccountedRun {
  const { delta, sampleRate, unit } = params;
  const calibration = calibrateNoise({ targetEpsilon: params.targetEpsilon, delta, sampleRate, steps: params.steps, accountant: params.accountant });
  const noiseMultiplier = calibration.noiseMultiplier;
  const accountant = accountantFor(params.accountant, { unit, neighbouring: "add-remove" });
  const record = stepRecorder(accountant, sampledGaussianEvent({ noiseMultiplier, sampleRate }));
  return {
    noiseMultiplier,
    record: () => record(),
    epsilon: () => accountant.getEpsilon(delta).epsilon,
    privacy: (clipNorm) => {
      const spent = accountant.getEpsilon(delta);
      const details = accountant.describe();
      const steps = accountant.ledger.reduce((s, entry) => s + entry.count, 0);
      return {
        unit,
        neighbouring: accountant.neighbouring,
        accountant: accountant.kind,
        accountantName: accountantLabel(details),
        accountantDetails: details,
        event: sampledGaussianEvent({ noiseMultiplier, sampleRate, steps }),
        noiseMultiplier,
        clipNorm,
        epsilon: spent.epsilon,
        delta,
        order: "order" in spent && typeof spent.order === "number" ? spent.order : null,
        warnings: [...spent.warnings],
      };
    },
  };
}
