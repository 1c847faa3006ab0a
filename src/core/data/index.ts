// The data diff's pure parts: model, value normalisation, generated SQL, bisection planning, schema comparison.
export * from './bisect.js';
export * from './model.js';
export * from './normalise.js';
export * from './schema-compare.js';
export * from './sql.js';
