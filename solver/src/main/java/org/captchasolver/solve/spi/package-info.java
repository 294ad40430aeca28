/**
 * How {@link org.captchasolver.solve.CaptchaSolver} reaches an engine: a {@link org.captchasolver.solve.spi.NetworkLoader}
 * per engine, found by {@link java.util.ServiceLoader}, loads a bundle's {@link org.captchasolver.solve.spi.Network}.
 * Users of the solver do not need this package.
 */
package org.captchasolver.solve.spi;
