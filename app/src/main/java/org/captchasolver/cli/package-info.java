/**
 * The {@code captcha} command line (picocli): one command per task, each a thin layer over the library.
 */
package org.captchasolver.cli;
