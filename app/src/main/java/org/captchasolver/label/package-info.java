/**
 * {@code captcha label}: a local web page that shows a folder's unlabelled images one at a time, a model's reading
 * pre-filled, and writes {@code labels.csv} after every answer.
 */
package org.captchasolver.label;
