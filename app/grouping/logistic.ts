/**
 * A small logistic regression, fitted by full-batch gradient descent with L2 regularisation on standardised
 * features. Enough for a pair classifier over a dozen generic features trained on a few hundred pairs.
 */

export interface LogisticModel {
  /** Per feature: mean and spread used to standardise it before the weights apply. */
  means: number[];
  scales: number[];
  weights: number[];
  bias: number;
}

export interface FitOptions {
  iterations?: number;
  learningRate?: number;
  /** L2 penalty on the weights (not the bias). */
  l2?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function standardiser(rows: readonly number[][]): { means: number[]; scales: number[] } {
  const width = rows[0]?.length ?? 0;
  const means = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const scales = means.map((mean, j) => {
    const variance = rows.reduce((s, r) => s + (r[j]! - mean) ** 2, 0) / rows.length;
    return Math.sqrt(variance) || 1;
  });
  return { means, scales };
}

/** The probability that a row belongs to the positive class. */
export function predict(model: LogisticModel, row: readonly number[]): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++)
    z += model.weights[j]! * ((row[j]! - model.means[j]!) / model.scales[j]!);
  return sigmoid(z);
}

/** Fits on rows and 0/1 labels; each class weighs half of the loss, however unbalanced the pairs are. */
export function fitLogistic(
  rows: readonly number[][],
  labels: readonly number[],
  options: FitOptions = {},
): LogisticModel {
  const { iterations = 2000, learningRate = 0.3, l2 = 0.01 } = options;
  const { means, scales } = standardiser(rows);
  const x = rows.map((r) => r.map((v, j) => (v - means[j]!) / scales[j]!));
  const positives = labels.filter((l) => l === 1).length;
  const classWeight = (label: number) =>
    label === 1 ? 0.5 / Math.max(1, positives) : 0.5 / Math.max(1, labels.length - positives);
  const weights = new Array<number>(means.length).fill(0);
  let bias = 0;
  for (let step = 0; step < iterations; step++) {
    const gradient = weights.map((w) => l2 * w);
    let biasGradient = 0;
    for (let i = 0; i < x.length; i++) {
      const row = x[i]!;
      let z = bias;
      for (let j = 0; j < weights.length; j++) z += weights[j]! * row[j]!;
      const error = (sigmoid(z) - labels[i]!) * classWeight(labels[i]!);
      for (let j = 0; j < weights.length; j++) gradient[j]! += error * row[j]!;
      biasGradient += error;
    }
    for (let j = 0; j < weights.length; j++) weights[j]! -= learningRate * gradient[j]!;
    bias -= learningRate * biasGradient;
  }
  return { means, scales, weights, bias };
}
