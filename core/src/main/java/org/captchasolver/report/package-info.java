/**
 * Evaluation reports: metrics JSON, predictions, figures and an HTML page, written atomically.
 */
package org.captchasolver.report;
