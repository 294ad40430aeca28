package org.captchasolver.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpProfileTest {
    @TempDir Path tmp;

    @Test
    void selfTimeIsACallsDurationMinusTheCallsNestedInItOnTheSameThread() throws Exception {
        // Thread 1: conv (0-100) holds empty (10-20) and add (30-60), which holds empty (40-45); then pool (100-130).
        // Thread 2: a second conv (0-50), overlapping thread 1's in time but not nested in it.
        Path trace = tmp.resolve("trace.json");
        Files.writeString(trace, """
                [
                {"name": "aten::conv", "ph": "X", "ts": 0, "dur": 100, "tid": 1, "pid": "CPU", "shape": [[2, 3]], "args": {}},
                {"name": "aten::empty", "ph": "X", "ts": 10, "dur": 10, "tid": 1, "pid": "CPU", "args": {"x": [1, {"y": 2}]}},
                {"name": "aten::add", "ph": "X", "ts": 30, "dur": 30, "tid": 1, "pid": "CPU"},
                {"name": "aten::empty", "ph": "X", "ts": 40, "dur": 5, "tid": 1, "pid": "CPU"},
                {"name": "aten::pool", "ph": "X", "ts": 100, "dur": 30, "tid": 1, "pid": "CPU"},
                {"name": "flow", "ph": "s", "ts": 5, "tid": 1, "pid": "CPU"},
                {"name": "aten::conv", "ph": "X", "ts": 0, "dur": 50, "tid": 2, "pid": "CPU"}
                ]
                """);
        List<OpProfile.Call> calls = OpProfile.read(trace);
        assertThat(calls).hasSize(6);

        Map<String, double[]> self = OpProfile.selfTimes(calls);
        assertThat(self.get("aten::conv")).containsExactly(100 - 10 - 30 + 50, 2);
        assertThat(self.get("aten::add")).containsExactly(25, 1);
        assertThat(self.get("aten::empty")).containsExactly(15, 2);
        assertThat(self.get("aten::pool")).containsExactly(30, 1);

        List<OpProfile.Row> rows = OpProfile.rows("crnn", 8, 1, self, 2);
        assertThat(rows).extracting(OpProfile.Row::op).containsExactly("aten::conv", "aten::pool", "(2 other operators)");
        assertThat(rows.get(0).selfMsPerStep()).isCloseTo(0.110, within(1e-9));
        assertThat(rows.get(2).calls()).isEqualTo(3);
        assertThat(rows.stream().mapToDouble(OpProfile.Row::shareOfStep).sum()).isCloseTo(1.0, within(1e-9));
    }
}
