/**
 * Datasets on disk: finding images, reading labels from names, the split, and the index that training reads.
 */
package org.captchasolver.dataset;
