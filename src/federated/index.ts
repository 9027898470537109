/** Federated learning with user-level differential privacy: the voice-assistant case. */
export * from "./model";
export * from "./users";
export * from "./fedavg";
export * from "./central";
export * from "./accounting";
export * from "./secrets";
export * from "./voiceAssistant";
