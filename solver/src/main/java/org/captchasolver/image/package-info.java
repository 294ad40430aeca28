/**
 * Image input: decoding with limits read from the header, resampling, and the tensor layout every model takes.
 */
package org.captchasolver.image;
