/**
 * Support for long-running work: progress bars and lines, CSV files and native memory figures.
 */
package org.captchasolver.util;
