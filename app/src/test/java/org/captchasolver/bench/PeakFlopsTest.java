package org.captchasolver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PeakFlopsTest {
    @Test
    void theNominalPeakFollowsTheVectorUnitsOfEachCpu() {
        Set<String> avx512 = Set.of("fma", "avx2", "avx512f");
        assertThat(PeakFlops.flopsPerCycle("AuthenticAMD", 0x19, avx512)).isEqualTo(32); // Zen 4
        assertThat(PeakFlops.flopsPerCycle("AuthenticAMD", 0x1a, avx512)).isEqualTo(64); // Zen 5
        assertThat(PeakFlops.flopsPerCycle("GenuineIntel", 6, avx512)).isEqualTo(64);
        assertThat(PeakFlops.flopsPerCycle("GenuineIntel", 6, Set.of("fma", "avx2"))).isEqualTo(32);
        assertThat(PeakFlops.flopsPerCycle("unknown", 0, Set.of("sse2"))).isEqualTo(16);
    }

    @Test
    void theMeasuredMatrixProductIsAPlausibleFractionOfThisMachinesNominalPeak() {
        PeakFlops.Result r = PeakFlops.measure(512, 3, 5);
        assertThat(r.medianGflops()).isPositive();
        assertThat(r.attainableGflops()).as("the best round").isGreaterThanOrEqualTo(r.medianGflops());
        assertThat(r.flopsPerCycle()).isIn(16, 32, 64);
        if (!Double.isNaN(r.nominalGflops())) {
            // a 512 x 512 product is far from the peak, but can never be several times beyond it
            assertThat(r.attainableGflops()).isLessThan(2 * r.nominalGflops());
        }
    }
}
