export * from "./configuration.js";
export * from "./events.js";
export * from "./feedback.js";
export * from "./ticket.js";
