/**
 * Charts and image grids drawn to PNG (XChart and Java2D), kept apart from the library's logic.
 */
package org.captchasolver.plot;
