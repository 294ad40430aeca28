/**
 * The HTTP service ({@code captcha serve}): JSON endpoints, an upload page, bounded bodies and decoding.
 */
package org.captchasolver.server;
