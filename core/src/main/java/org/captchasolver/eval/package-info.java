/**
 * Scoring predictions against labels: sequence and character accuracy, confusion, score curves, calibration.
 */
package org.captchasolver.eval;
