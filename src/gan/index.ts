/**
 * Iteration 2 of the course: a GAN for mixed tabular data behind an anonymity pipeline.
 * generator / discriminator / trainGan / sample are the GAN (labelModel optionally draws its
 * outcome column); anonymityPipeline and grouping
 * prepare what it learns from; negativeEvents, agent and iteration are the feedback loop.
 */
export {
  createGenerator,
  generateRows,
  generatorParameterCount,
  outputBlocks,
  CATEGORICAL_OUTPUTS,
  GENERATOR_DEFAULTS,
  type CategoricalOutput,
  type GeneratorData,
  type OutputBlock,
} from "./generator";
export { createDiscriminator, DISCRIMINATOR_DEFAULT_HIDDEN } from "./discriminator";
export { trainGan, ganPlan, GAN_DEFAULTS, GAN_ACCOUNTANT, type GanOptions, type GanResult, type GanTrace, type GanLogRecord, type GanPrivacy } from "./trainGan";
export {
  trainLabelModel,
  relabelRows,
  labelModelPlan,
  LABEL_MODEL_DEFAULTS,
  type LabelModel,
  type LabelModelOptions,
  type LabelModelTrace,
} from "./labelModel";
export { sampleSynthetic, discriminate, type SampleTrace, type DiscriminateTrace } from "./sample";
export { nearCopyPenalty, type GeneratorPenalty, type NearCopyPenalty } from "./penalty";
export { groupSimilarRecords, type GroupedRecords, type GroupingTrace } from "./grouping";
export {
  detectNegativeEvents,
  countNegativeEventsInRelease,
  NEGATIVE_EVENT_KINDS,
  DEFAULT_EVENT_WEIGHTS,
  type NegativeEvent,
  type NegativeEventKind,
  type NegativeEventReport,
} from "./negativeEvents";
export {
  createAgent,
  runEpisodes,
  actionGrid,
  AGENT_KINDS,
  type Agent,
  type AgentKind,
  type EpisodeRecord,
  type Environment,
  type EnvironmentOutcome,
  type RunEpisodesTrace,
} from "./agent";
export { anonymityPipeline, generaliseRows, type PipelineSettings, type AnonymityPipelineTrace } from "./anonymityPipeline";
export {
  runGanIteration,
  runGanIterations,
  composeReleasePrivacy,
  GAN_FLOW,
  TUNING_NOT_COVERED,
  adjustSettings,
  describeSettings,
  DEFAULT_LADDERS,
  type GanIterationOptions,
  type IterationFeedback,
  type IterationOutput,
  type IterationTrace,
  type IterationsTrace,
  type ReleasePrivacy,
  type ComposedPrivacy,
} from "./iteration";
