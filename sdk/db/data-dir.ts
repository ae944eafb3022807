/** The embedded database's folder, in the working directory, when none is configured. */
export const DEFAULT_DATA_DIR_NAME = ".feedback-triage";
