/** Finding suspected label errors: images whose label cross-validated models contradict most confidently. */
package org.captchasolver.audit;
