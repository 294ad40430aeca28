/**
 * Apache Spark jobs: indexing, EDA statistics and batch solving of image folders or URIs.
 */
package org.captchasolver.spark;
