/**
 * A generator of labelled CAPTCHA images in several styles, for tests, demos and benchmarks.
 */
package org.captchasolver.generate;
