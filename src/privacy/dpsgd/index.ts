export * from "./perExampleGradients";
export * from "./naiveLoop";
export * from "./noise";
export * from "./poisson";
export * from "./step";
