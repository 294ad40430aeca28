/**
 * The performance benchmarks behind {@code captcha bench}: data pipeline, training step, solving on each engine,
 * memory and HTTP, through the product's own code paths.
 */
package org.captchasolver.bench;
