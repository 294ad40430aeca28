/**
 * Small pieces every module shares: the project's exception, JSON, atomic file writes, folders and pools.
 */
package org.captchasolver.common;
