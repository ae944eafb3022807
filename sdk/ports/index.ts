export * from "./agents.js";
export * from "./artifacts.js";
export * from "./configuration.js";
export * from "./deliveries.js";
export * from "./event-bus.js";
export * from "./metrics.js";
export * from "./queue.js";
export * from "./tickets.js";
