/** The five features, in the order of every feature row (a module of its own: the scalers need it without the rest of features.ts). */
export const FEATURE_NAMES = [
  "purchaseFrequency",
  "averageSpend",
  "locationCategory",
  "recencyDays",
  "ageBand",
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
