import { type CalibrationModel, SHIPPED_CALIBRATION } from "./calibration.js";
import { SHIPPED_TEXT_MODEL, type TextModel } from "./text-model.js";

/** The two fitted parts of the offline crew, shipped as JSON in app/agents/data/ (see train.ts). */
export interface OfflineModels {
  readonly calibration: CalibrationModel;
  readonly textModel: TextModel;
}

export const SHIPPED_MODELS: OfflineModels = { calibration: SHIPPED_CALIBRATION, textModel: SHIPPED_TEXT_MODEL };
