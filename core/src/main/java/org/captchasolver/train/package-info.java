/**
 * Training: the run folder, the schedule and recipe, checkpoints that survive a crash, and the optimiser.
 */
package org.captchasolver.train;
